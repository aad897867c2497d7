import Foundation

/// Turns one file's bytes into the certificates an audit reads: every CERTIFICATE block
/// of a PEM file (keys and other blocks never decoded), a DER certificate, or the
/// certificates inside a zip's entries.
enum AuditFileDecoder {
    /// What one file gave.
    enum Outcome {
        /// Certificates with their locations.
        case certificates([(location: String, der: [UInt8])])
        /// Not a certificate file, inside a walked folder: ignored.
        case skipped
        /// Should have held certificates and did not.
        case unreadable(String)
        /// A PKCS#12 file (or one named `.p12`/`.pfx`): its certificates are read through an
        /// engine with the audit's password; one that cannot be opened is always unreadable.
        case pkcs12(location: String, der: [UInt8])
        /// One DER SEQUENCE that may or may not be a certificate; when it does not read as
        /// one, `report` says whether that is an unreadable input or a skipped file.
        case derCandidate(location: String, der: [UInt8], report: Bool)
    }

    private static let certificateBegin = Array("-----BEGIN CERTIFICATE-----".utf8)
    /// As ``CertificateDecoder/TrustedCertificates/certificateOnly`` reads them.
    private static let labels = CertificateDecoder.certificateLabels.union(["TRUSTED CERTIFICATE"])

    static func decode(path: String, named: Bool) -> Outcome {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.contents(of: path)
        } catch let error as PKIError {
            return named ? .unreadable(error.message) : .skipped
        } catch {
            return .unreadable("cannot be read")
        }
        if ZipReader.looksLikeZip(bytes) {
            do {
                let zip = try CertificateFile.inZip(bytes, at: path)
                if !zip.found.isEmpty { return .certificates(zip.found.map { ($0.location, $0.der) }) }
                return .unreadable(zip.problems.first.map { "zip: \($0)" } ?? "no certificate in the zip")
            } catch let error as PKIError {
                return .unreadable(error.message)
            } catch {
                return .unreadable("not a readable zip archive")
            }
        }
        if PEM.looksLikePEM(bytes) {
            let claimsCertificate = contains(bytes, certificateBegin)
            do {
                let blocks = try PEM.decode(bytes).filter { labels.contains($0.label) }
                if !blocks.isEmpty {
                    return .certificates(blocks.map { (path, CertificateDecoder.leadingElement($0.der)) })
                }
                return named ? .unreadable("no certificate in PEM input") : .skipped
            } catch let error as PKIError {
                return named || claimsCertificate ? .unreadable(error.message) : .skipped
            } catch {
                return .unreadable("bad PEM")
            }
        }
        // A keystore is never "not a certificate file": a fleet of .p12 files that cannot be opened
        // must not look like an empty, healthy folder.
        if PKCS12Outline.looksLikePKCS12(bytes) || PKCS12Outline.hasPKCS12Name(path) {
            return .pkcs12(location: path, der: bytes)
        }
        if DERReader.isSingleSequence(bytes) {
            // Inside a folder, a DER file that does not read as a certificate is reported only
            // when it has a certificate's outline (a DER key, say, is skipped).
            return .derCandidate(location: path, der: bytes, report: named || hasCertificateOutline(bytes))
        }
        return named ? .unreadable(bytes.isEmpty ? "empty file" : "not PEM, DER or zip") : .skipped
    }

    /// SEQUENCE { SEQUENCE, SEQUENCE, BIT STRING }: tbsCertificate, signatureAlgorithm, signature.
    static func hasCertificateOutline(_ bytes: [UInt8]) -> Bool {
        var outer = DERReader(bytes[...])
        guard let sequence = try? outer.read(tag: 0x30) else { return false }
        var inner = DERReader(sequence.content)
        return (try? inner.read(tag: 0x30)) != nil && (try? inner.read(tag: 0x30)) != nil
            && (try? inner.read(tag: 0x03)) != nil && inner.isAtEnd
    }

    private static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        return bytes.indices.dropLast(needle.count - 1).contains {
            bytes[$0] == needle[0] && bytes[$0...].starts(with: needle)
        }
    }
}
