/// What the core checks in a PKCS#12 file before any engine opens it: that it is a
/// password-integrity PFX with a MAC (one without cannot be told from a tampered file),
/// and that no key derivation in it (the MAC's, each encrypted bag's, each shrouded key's)
/// asks for more work than ``EncryptedKeyCost`` allows. Like encrypted keys, a hostile
/// file is refused with the same words on both engines, before any password is tried.
public enum PKCS12Outline {
    /// True when `bytes` has the outer shape of a PFX: SEQUENCE { INTEGER 3, ContentInfo ... }.
    /// How `inspect` and `audit` tell a PKCS#12 file from a DER certificate.
    public static func looksLikePKCS12(_ bytes: [UInt8]) -> Bool {
        var outer = DERReader(bytes[...])
        guard let pfx = try? outer.read(tag: 0x30) else { return false }
        var reader = DERReader(pfx.content)
        guard let version = try? reader.read(tag: 0x02), Array(version.content) == [3],
            let contentInfo = try? reader.read(tag: 0x30)
        else { return false }
        var info = DERReader(contentInfo.content)
        return (try? info.read(tag: 0x06)) != nil
    }

    /// True for a name ending in `.p12` or `.pfx` (any case): such a file is read as PKCS#12
    /// even when its outline is damaged, so the damage is reported instead of the file skipped.
    public static func hasPKCS12Name(_ path: String) -> Bool {
        let lowered = path.lowercased()
        return lowered.hasSuffix(".p12") || lowered.hasSuffix(".pfx")
    }

    /// The MAC digests dbpki reads: SHA-1 and the SHA-2 family.
    static let macDigests: Set<String> = [
        "1.3.14.3.2.26", "2.16.840.1.101.3.4.2.4", "2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.2",
        "2.16.840.1.101.3.4.2.3",
    ]

    /// Throws `.invalidInput` (or `.unsupported`) for a file dbpki will not hand to an engine.
    public static func check(_ der: [UInt8]) throws {
        do {
            try walk(der)
        } catch let refusal as Refusal {
            throw refusal.error
        } catch {
            throw PKIError(.invalidInput, "not a readable PKCS#12 file (\(error))")
        }
    }

    /// A refusal of the file as a whole, passed on as it is (a DER error inside is worded by ``check(_:)``).
    private struct Refusal: Error {
        var error: PKIError
        init(_ code: PKIError.Code, _ message: String) { error = PKIError(code, message) }
    }

    private static func walk(_ der: [UInt8]) throws {
        var outer = DERReader(der[...])
        var pfx = DERReader(try outer.read(tag: 0x30).content)
        guard outer.isAtEnd else { throw PKIError(.invalidInput, "trailing bytes after the PFX") }
        guard Array(try pfx.read(tag: 0x02).content) == [3] else {
            throw Refusal(.invalidInput, "the PKCS#12 file is not version 3")
        }
        var authSafe = DERReader(try pfx.read(tag: 0x30).content)
        guard try oid(authSafe.read(tag: 0x06)) == PKCS12Encoding.dataOID else {
            throw Refusal(.unsupported, "the PKCS#12 file uses public-key integrity, which dbpki does not read")
        }
        guard !pfx.isAtEnd else {
            throw Refusal(.invalidInput, "the PKCS#12 file has no MAC, so its integrity cannot be checked")
        }
        var macData = DERReader(try pfx.read(tag: 0x30).content)
        var digestInfo = DERReader(try macData.read(tag: 0x30).content)
        var digestAlgorithm = DERReader(try digestInfo.read(tag: 0x30).content)
        let digest = try oid(digestAlgorithm.read(tag: 0x06))
        // GnuTLS 3.7 leaks memory on a MAC digest it does not know; both engines get only these.
        guard macDigests.contains(digest) else {
            throw Refusal(.unsupported, "the PKCS#12 file's MAC uses the digest \(digest), which dbpki does not read")
        }
        _ = try macData.read(tag: 0x04)  // salt
        let macIterations = macData.isAtEnd ? 1 : try count(try macData.read(tag: 0x02))
        try cap(macIterations, "MAC")
        let safes = try octets(explicit: try authSafe.read(tag: 0xa0))
        var list = DERReader(try DERReader.single(safes, tag: 0x30).content)
        while !list.isAtEnd {
            var contentInfo = DERReader(try list.read(tag: 0x30).content)
            let type = try oid(contentInfo.read(tag: 0x06))
            let content = try contentInfo.read(tag: 0xa0)
            if type == PKCS12Encoding.dataOID {
                try checkSafeContents(try octets(explicit: content))
            } else if type == PKCS12Encoding.encryptedDataOID {
                var inner = DERReader(content.content)
                var encryptedData = DERReader(try inner.read(tag: 0x30).content)
                _ = try encryptedData.read(tag: 0x02)
                var encryptedContentInfo = DERReader(try encryptedData.read(tag: 0x30).content)
                _ = try encryptedContentInfo.read(tag: 0x06)
                let algorithm = try encryptedContentInfo.read(tag: 0x30)
                try capKeyDerivation(Array(algorithm.encoded))
            }
        }
    }

    /// Checks each shrouded key bag's key derivation.
    private static func checkSafeContents(_ bytes: [UInt8]) throws {
        var bags = DERReader(try DERReader.single(bytes, tag: 0x30).content)
        while !bags.isAtEnd {
            var bag = DERReader(try bags.read(tag: 0x30).content)
            let type = try oid(bag.read(tag: 0x06))
            var value = DERReader(try bag.read(tag: 0xa0).content)
            if type == PKCS12Encoding.shroudedKeyBagOID {
                var encryptedKey = DERReader(try value.read(tag: 0x30).content)
                try capKeyDerivation(Array(try encryptedKey.read(tag: 0x30).encoded))
            }
        }
    }

    /// Applies ``EncryptedKeyCost`` to an encryption AlgorithmIdentifier.
    private static func capKeyDerivation(_ algorithm: [UInt8]) throws {
        do {
            try EncryptedKeyCost.check(DERWriter.tlv(0x30, algorithm + [0x04, 0x00]))
        } catch let error as PKIError {
            throw Refusal(.invalidInput, "the PKCS#12 file's encryption: \(error.message)")
        }
    }

    private static func cap(_ iterations: Int, _ what: String) throws {
        guard iterations <= EncryptedKeyCost.maximumIterations else {
            throw Refusal(
                .invalidInput,
                "the PKCS#12 file's \(what) asks for \(iterations) iterations; dbpki refuses more than "
                    + "\(EncryptedKeyCost.maximumIterations) (a hostile file could make loading take hours)")
        }
    }

    private static func oid(_ element: DERReader.Element) -> String {
        DERReader.objectIdentifierText(Array(element.content))
    }

    /// The OCTET STRING inside a `[0] EXPLICIT` element.
    private static func octets(explicit element: DERReader.Element) throws -> [UInt8] {
        var reader = DERReader(element.content)
        return Array(try reader.read(tag: 0x04).content)
    }

    private static func count(_ element: DERReader.Element) throws -> Int {
        guard let first = element.content.first, first & 0x80 == 0 else {
            throw PKIError(.invalidInput, "a negative or empty count")
        }
        let significant = element.content.drop(while: { $0 == 0 })
        guard significant.count <= 7 else { return Int.max }
        return significant.reduce(0) { $0 << 8 | Int($1) }
    }
}

extension DERReader {
    /// The one element `bytes` holds, with the given tag and nothing after it.
    static func single(_ bytes: [UInt8], tag: UInt8) throws -> Element {
        var reader = DERReader(bytes[...])
        let element = try reader.read(tag: tag)
        guard reader.isAtEnd else { throw PKIError(.invalidInput, "trailing bytes after a DER element") }
        return element
    }
}
