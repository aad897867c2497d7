import DBPKI

/// Builds and reads PKCS#8 keys at the DER level: encrypted keys with chosen (hostile) key
/// derivation costs, and the fields an engine chose when it encrypted or wrapped a key.
public enum EncryptedKeys {
    private static func oid(_ content: [UInt8]) -> [UInt8] { DERWriter.tlv(0x06, content) }
    private static let pbes2OID: [UInt8] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d]
    private static let aes256CBC = DERWriter.tlv(
        0x30,
        oid([0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a])
            + DERWriter.tlv(0x04, [UInt8](repeating: 1, count: 16)))

    /// An EncryptedPrivateKeyInfo with PBES2 / PBKDF2-HMAC-SHA256 / AES-256-CBC and `iterations`
    /// (the INTEGER's content octets), holding no real key.
    public static func pbes2(iterations: [UInt8]) -> [UInt8] {
        let pbkdf2Parameters = DERWriter.tlv(
            0x30,
            DERWriter.tlv(0x04, [UInt8](repeating: 7, count: 16)) + DERWriter.tlv(0x02, iterations)
                + DERWriter.tlv(0x30, oid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09]) + [0x05, 0x00]))
        let kdf = DERWriter.tlv(0x30, oid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c]) + pbkdf2Parameters)
        return wrap(kdf: kdf)
    }

    /// The same with scrypt (RFC 7914) parameters N, r, p as DER INTEGER contents.
    public static func scrypt(n: [UInt8], r: [UInt8], p: [UInt8]) -> [UInt8] {
        let scryptParameters = DERWriter.tlv(
            0x30,
            DERWriter.tlv(0x04, [UInt8](repeating: 7, count: 16)) + DERWriter.tlv(0x02, n) + DERWriter.tlv(0x02, r)
                + DERWriter.tlv(0x02, p))
        let kdf = DERWriter.tlv(0x30, oid([0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x04, 0x0b]) + scryptParameters)
        return wrap(kdf: kdf)
    }

    private static func wrap(kdf: [UInt8]) -> [UInt8] {
        let algorithm = DERWriter.tlv(0x30, oid(pbes2OID) + DERWriter.tlv(0x30, kdf + aes256CBC))
        return DERWriter.tlv(0x30, algorithm + DERWriter.tlv(0x04, [UInt8](repeating: 9, count: 48)))
    }

    /// The PBKDF2 iteration count of a PBES2 EncryptedPrivateKeyInfo.
    public static func pbkdf2Iterations(of der: [UInt8]) throws -> Int {
        var outer = DERReader(der[...])
        var info = DERReader(try outer.read(tag: 0x30).content)
        var algorithm = DERReader(try info.read(tag: 0x30).content)
        _ = try algorithm.read(tag: 0x06)  // PBES2
        var pbes2 = DERReader(try algorithm.read(tag: 0x30).content)
        var kdf = DERReader(try pbes2.read(tag: 0x30).content)
        _ = try kdf.read(tag: 0x06)  // PBKDF2
        var parameters = DERReader(try kdf.read(tag: 0x30).content)
        _ = try parameters.read(tag: 0x04)  // salt
        return try parameters.read(tag: 0x02).content.reduce(0) { $0 << 8 | Int($1) }
    }

    /// What an EncryptedPrivateKeyInfo says about its protection, read from the DER (not from
    /// the engine that wrote it): the scheme, key-derivation function, its PRF and iteration
    /// count, and the cipher, each as a dotted OID.
    public struct Scheme: Equatable, Sendable {
        public var scheme: String
        public var kdf: String
        public var prf: String
        public var iterations: Int
        public var cipher: String
    }

    /// PBES2 (1.2.840.113549.1.5.13), PBKDF2 (1.2.840.113549.1.5.12),
    /// hmacWithSHA256 (1.2.840.113549.2.9), AES-256-CBC (2.16.840.1.101.3.4.1.42).
    public static let contractScheme = (
        scheme: "1.2.840.113549.1.5.13", kdf: "1.2.840.113549.1.5.12", prf: "1.2.840.113549.2.9",
        cipher: "2.16.840.1.101.3.4.1.42"
    )

    /// Reads the PBES2 parameters of an EncryptedPrivateKeyInfo. A PBKDF2 without a PRF
    /// means HMAC-SHA1 (RFC 8018), reported as 1.2.840.113549.2.7.
    public static func scheme(of der: [UInt8]) throws -> Scheme {
        var outer = DERReader(der[...])
        var info = DERReader(try outer.read(tag: 0x30).content)
        var algorithm = DERReader(try info.read(tag: 0x30).content)
        let scheme = dotted(Array(try algorithm.read(tag: 0x06).content))
        var pbes2 = DERReader(try algorithm.read(tag: 0x30).content)
        var kdf = DERReader(try pbes2.read(tag: 0x30).content)
        let kdfOID = dotted(Array(try kdf.read(tag: 0x06).content))
        var parameters = DERReader(try kdf.read(tag: 0x30).content)
        _ = try parameters.read(tag: 0x04)  // salt
        let iterations = try parameters.read(tag: 0x02).content.reduce(0) { $0 << 8 | Int($1) }
        var prf = "1.2.840.113549.2.7"
        while !parameters.isAtEnd {
            let element = try parameters.read()
            if element.tag == 0x30 {
                var prfAlgorithm = DERReader(element.content)
                prf = dotted(Array(try prfAlgorithm.read(tag: 0x06).content))
            }
        }
        var cipher = DERReader(try pbes2.read(tag: 0x30).content)
        let cipherOID = dotted(Array(try cipher.read(tag: 0x06).content))
        return Scheme(scheme: scheme, kdf: kdfOID, prf: prf, iterations: iterations, cipher: cipherOID)
    }

    /// An OID's content octets in dotted form.
    static func dotted(_ content: [UInt8]) -> String {
        guard let first = content.first else { return "" }
        var arcs = [Int(first) / 40, Int(first) % 40]
        var value = 0
        for byte in content.dropFirst() {
            value = value << 7 | Int(byte & 0x7f)
            if byte & 0x80 == 0 {
                arcs.append(value)
                value = 0
            }
        }
        return arcs.map(String.init).joined(separator: ".")
    }

    /// The privateKey OCTET STRING's content of a PKCS#8 PrivateKeyInfo: the PKCS#1 RSAPrivateKey
    /// for RSA, the SEC 1 ECPrivateKey for EC.
    public static func innerKey(ofPKCS8 pkcs8: [UInt8]) throws -> [UInt8] {
        var outer = DERReader(pkcs8[...])
        var info = DERReader(try outer.read(tag: 0x30).content)
        _ = try info.read(tag: 0x02)
        _ = try info.read(tag: 0x30)
        return Array(try info.read(tag: 0x04).content)
    }
}
