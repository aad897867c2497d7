import CGnuTLS
import DBPKI

/// A certificate taking part in path building, with the fields the search and
/// the policy checks look at, read once.
final class GnuTLSPathCertificate {
    let der: [UInt8]
    let crt: GnuTLSCertificateHandle
    let subject: [UInt8]
    let issuer: [UInt8]
    let subjectKeyIdentifier: [UInt8]?
    let authorityKeyIdentifier: [UInt8]?
    let isCA: Bool
    let pathLengthConstraint: Int?
    let keyUsage: KeyUsage?

    init(der: [UInt8]) throws {
        self.der = der
        crt = try GnuTLSCertificateHandle(der: der)
        subject = try crt.rawSubject()
        issuer = try crt.rawIssuer()
        subjectKeyIdentifier = try crt.subjectKeyIdentifier()
        authorityKeyIdentifier = try crt.authorityKeyIdentifier()
        let basic = try GnuTLSCertificateReader.basicConstraints(crt.handle)
        isCA = basic.isCA
        pathLengthConstraint = basic.pathLength
        keyUsage = try GnuTLSCertificateReader.keyUsage(crt.handle)
    }

    /// True when this certificate's name (and key identifier, when both carry one) says it issued `other`.
    func mayHaveIssued(_ other: GnuTLSPathCertificate) -> Bool {
        guard subject == other.issuer else { return false }
        guard let authority = other.authorityKeyIdentifier, let own = subjectKeyIdentifier else { return true }
        return authority == own
    }
}

/// Finds candidate paths from a leaf through spare intermediates to a trust anchor,
/// since GnuTLS validates the list it is given and does not search a pool.
struct GnuTLSPathBuilder {
    /// A path: indexes into the intermediates, leaf side first, and the anchor it ends at (nil when none was reached).
    struct Path {
        var intermediates: [Int]
        var anchor: Int?
    }

    let leaf: GnuTLSPathCertificate
    let intermediates: [GnuTLSPathCertificate]
    let anchors: [GnuTLSPathCertificate]
    /// The most complete paths returned.
    var maxPaths = 16
    /// The most intermediates a path may have while searching (the policy limit is checked later).
    var maxDepth = 32
    /// The most search steps, so a hostile pool cannot make the search explode.
    var maxSteps = 2_000

    /// Complete paths, fewest intermediates first; when there is none, the longest partial path.
    func paths() -> [Path] {
        let anchorDER = Set(anchors.map(\.der))
        let pool = intermediates.indices.filter {
            !anchorDER.contains(intermediates[$0].der) && intermediates[$0].der != leaf.der
        }
        var found = [Path]()
        var deepest = [Int]()
        var steps = 0

        func search(_ current: GnuTLSPathCertificate, _ chain: [Int]) {
            steps += 1
            guard steps <= maxSteps, found.count < maxPaths else { return }
            if chain.count > deepest.count { deepest = chain }
            for (index, anchor) in anchors.enumerated() where anchor.mayHaveIssued(current) {
                found.append(Path(intermediates: chain, anchor: index))
                if found.count >= maxPaths { return }
            }
            guard chain.count < maxDepth else { return }
            for index in pool where !chain.contains(index) && intermediates[index].mayHaveIssued(current) {
                search(intermediates[index], chain + [index])
            }
        }

        if anchorDER.contains(leaf.der) {
            return [Path(intermediates: [], anchor: anchors.firstIndex { $0.der == leaf.der })]
        }
        search(leaf, [])
        if found.isEmpty { return [Path(intermediates: deepest, anchor: nil)] }
        return found.enumerated().sorted {
            ($0.element.intermediates.count, $0.offset) < ($1.element.intermediates.count, $1.offset)
        }.map(\.element)
    }
}
