/// The work an encrypted PKCS#8 key asks for before it can be opened, bounded by dbpki.
///
/// The key derivation's cost (PBKDF2 iterations, scrypt's N, r and p) is written in the
/// key itself, so a hostile key can make loading take hours or all memory. The core calls
/// ``check(_:)`` on the DER before it hands the key to an engine
/// (``PrivateKey/init(der:format:passphrase:using:)``), so the limit is the core's, the
/// same on both engines, and applied before any passphrase is tried.
public enum EncryptedKeyCost {
    /// The most PBKDF2 (or PBES1 / PKCS#12 PBE) iterations dbpki runs: about a second of
    /// PBKDF2-HMAC-SHA256 here, and above every current recommendation (OWASP 2023: 600,000
    /// for HMAC-SHA256, 1,300,000 for HMAC-SHA1). dbpki itself writes 600,000 (PBKDF2-HMAC-SHA256) on both engines.
    public static let maximumIterations = 2_000_000
    /// The most memory scrypt may ask for (128 · N · r bytes): 1 GiB, what N = 2^20, r = 8 needs.
    public static let maximumScryptMemory = 1 << 30
    /// The most scrypt work (N · r · p) allowed: 2^24, twice that of N = 2^20, r = 8, p = 1.
    public static let maximumScryptWork = 1 << 24

    /// The key-derivation cost a key asks for.
    enum Cost: Equatable {
        /// PBKDF2 (in PBES2), or a PBES1 / PKCS#12 scheme, with this many iterations.
        case iterations(Int, kdf: String)
        /// scrypt (RFC 7914) with these parameters.
        case scrypt(n: Int, r: Int, p: Int)
    }

    private static let pbes2: [UInt8] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d]
    private static let pbkdf2: [UInt8] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c]
    private static let scrypt: [UInt8] = [0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x04, 0x0b]

    /// Throws when the EncryptedPrivateKeyInfo asks for more work than dbpki allows, or its
    /// key-derivation parameters cannot be read. Schemes it does not know pass through: the
    /// engines refuse those themselves.
    public static func check(_ der: [UInt8]) throws {
        let cost: Cost?
        do {
            cost = try self.cost(of: der)
        } catch {
            throw PKIError(.invalidInput, "the encrypted private key's algorithm parameters cannot be read")
        }
        switch cost {
        case .iterations(let count, let kdf) where count > maximumIterations:
            throw PKIError(
                .invalidInput,
                "the encrypted private key asks for \(count) \(kdf) iterations; dbpki refuses more than "
                    + "\(maximumIterations) (a hostile key could make loading take hours)")
        case .scrypt(let n, let r, let p):
            let memory = n.multipliedReportingOverflow(by: r).partialValue.multipliedReportingOverflow(by: 128)
            let work = n.multipliedReportingOverflow(by: r).partialValue.multipliedReportingOverflow(by: p)
            guard n <= 1 << 40, r <= 1 << 20, p <= 1 << 20, !memory.overflow, !work.overflow,
                memory.partialValue <= maximumScryptMemory, work.partialValue <= maximumScryptWork
            else {
                throw PKIError(
                    .invalidInput,
                    "the encrypted private key asks for scrypt N=\(n), r=\(r), p=\(p); dbpki allows at most "
                        + "\(maximumScryptMemory >> 20) MiB and N·r·p of \(maximumScryptWork)")
            }
        default: break
        }
    }

    /// The cost written in the key; nil for a scheme dbpki does not read.
    static func cost(of der: [UInt8]) throws -> Cost? {
        var outer = DERReader(der[...])
        var info = DERReader(try outer.read(tag: 0x30).content)
        var algorithm = DERReader(try info.read(tag: 0x30).content)
        let oid = Array(try algorithm.read(tag: 0x06).content)
        guard !algorithm.isAtEnd else { return nil }
        let parameters = try algorithm.read()
        if oid == pbes2 {
            // PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme ... }
            var pbes2Parameters = try reader(parameters, tag: 0x30)
            var kdfAlgorithm = try reader(try pbes2Parameters.read(), tag: 0x30)
            let kdf = Array(try kdfAlgorithm.read(tag: 0x06).content)
            var kdfParameters = try reader(try kdfAlgorithm.read(), tag: 0x30)
            _ = try kdfParameters.read()  // salt
            if kdf == pbkdf2 { return .iterations(try integer(try kdfParameters.read(tag: 0x02)), kdf: "PBKDF2") }
            if kdf == scrypt {
                return .scrypt(
                    n: try integer(try kdfParameters.read(tag: 0x02)),
                    r: try integer(try kdfParameters.read(tag: 0x02)),
                    p: try integer(try kdfParameters.read(tag: 0x02)))
            }
            return nil
        }
        // PBES1 and PKCS#12 PBE: SEQUENCE { salt OCTET STRING, iterations INTEGER }
        guard parameters.tag == 0x30 else { return nil }
        var pbe = DERReader(parameters.content)
        guard (try? pbe.read(tag: 0x04)) != nil, let iterations = try? pbe.read(tag: 0x02) else { return nil }
        return .iterations(try integer(iterations), kdf: "PBE")
    }

    private static func reader(_ element: DERReader.Element, tag: UInt8) throws -> DERReader {
        guard element.tag == tag else { throw PKIError(.invalidInput, "unexpected DER tag") }
        return DERReader(element.content)
    }

    /// A non-negative INTEGER; one too large for an Int counts as Int.max.
    private static func integer(_ element: DERReader.Element) throws -> Int {
        guard let first = element.content.first, first & 0x80 == 0 else {
            throw PKIError(.invalidInput, "a negative or empty count")
        }
        let significant = element.content.drop(while: { $0 == 0 })
        guard significant.count <= 7 else { return Int.max }
        return significant.reduce(0) { $0 << 8 | Int($1) }
    }
}
