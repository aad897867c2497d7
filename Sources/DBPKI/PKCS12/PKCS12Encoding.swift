/// The PKCS#12 (RFC 7292) structures dbpki encodes itself, where an engine's API cannot:
/// GnuTLS writes only the friendlyName and localKeyId bag attributes, so a truststore's
/// certificate bags, which need Java's trust attribute, are built here and handed to the
/// engine, which encrypts them and computes the MAC. No cryptography happens here.
public enum PKCS12Encoding {
    /// Java's trusted-key-usage bag attribute (Oracle arc): a certificate bag carrying it
    /// is loaded by Java's `KeyStore` as a trustedCertEntry; one without it is skipped.
    public static let javaTrustedKeyUsageOID = "2.16.840.1.113894.746875.1.1"
    /// anyExtendedKeyUsage, the value dbpki gives the trust attribute (trusted for every purpose).
    public static let anyExtendedKeyUsageOID = "2.5.29.37.0"

    static let certBagOID = "1.2.840.113549.1.12.10.1.3"
    static let shroudedKeyBagOID = "1.2.840.113549.1.12.10.1.2"
    static let keyBagOID = "1.2.840.113549.1.12.10.1.1"
    static let x509CertificateOID = "1.2.840.113549.1.9.22.1"
    static let friendlyNameOID = "1.2.840.113549.1.9.20"
    static let localKeyIDOID = "1.2.840.113549.1.9.21"
    static let dataOID = "1.2.840.113549.1.7.1"
    static let encryptedDataOID = "1.2.840.113549.1.7.6"
    static let pbes2OID = "1.2.840.113549.1.5.13"
    static let pbkdf2OID = "1.2.840.113549.1.5.12"
    static let hmacWithSHA256OID = "1.2.840.113549.2.9"
    static let aes256CBCOID = "2.16.840.1.101.3.4.1.42"

    /// `SafeContents` DER holding one certificate bag per certificate, with its friendlyName,
    /// localKeyId and (when ``PKCS12Contents/Certificate/trustedForJava``) Java trust attributes.
    public static func safeContents(_ certificates: [PKCS12Contents.Certificate]) throws -> [UInt8] {
        DERWriter.tlv(0x30, try certificates.flatMap(certificateBag))
    }

    /// One `SafeBag` of type certBag.
    static func certificateBag(_ certificate: PKCS12Contents.Certificate) throws -> [UInt8] {
        let certBag = DERWriter.tlv(
            0x30,
            try objectIdentifier(x509CertificateOID) + DERWriter.tlv(0xa0, DERWriter.tlv(0x04, certificate.der)))
        var attributes = [[UInt8]]()
        if let name = certificate.friendlyName {
            let bmp = name.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
            attributes.append(try attribute(friendlyNameOID, DERWriter.tlv(0x1e, bmp)))
        }
        if let id = certificate.localKeyID { attributes.append(try attribute(localKeyIDOID, DERWriter.tlv(0x04, id))) }
        if certificate.trustedForJava {
            attributes.append(try attribute(javaTrustedKeyUsageOID, try objectIdentifier(anyExtendedKeyUsageOID)))
        }
        var bag = try objectIdentifier(certBagOID) + DERWriter.tlv(0xa0, certBag)
        if !attributes.isEmpty { bag += DERWriter.tlv(0x31, setOf(attributes)) }
        return DERWriter.tlv(0x30, bag)
    }

    /// The PBES2 `AlgorithmIdentifier` for PBKDF2-HMAC-SHA256 and AES-256-CBC with the given parameters.
    public static func pbes2AES256Algorithm(salt: [UInt8], iterations: Int, iv: [UInt8]) throws -> [UInt8] {
        let prf = DERWriter.tlv(0x30, try objectIdentifier(hmacWithSHA256OID) + [0x05, 0x00])
        let kdfParameters = DERWriter.tlv(0x30, DERWriter.tlv(0x04, salt) + integer(iterations) + prf)
        let kdf = DERWriter.tlv(0x30, try objectIdentifier(pbkdf2OID) + kdfParameters)
        let cipher = DERWriter.tlv(0x30, try objectIdentifier(aes256CBCOID) + DERWriter.tlv(0x04, iv))
        return DERWriter.tlv(0x30, try objectIdentifier(pbes2OID) + DERWriter.tlv(0x30, kdf + cipher))
    }

    /// PKCS#7 `EncryptedData` DER (version 0) of `data` content encrypted under `algorithm`.
    public static func encryptedData(algorithm: [UInt8], ciphertext: [UInt8]) throws -> [UInt8] {
        let contentInfo = DERWriter.tlv(
            0x30, try objectIdentifier(dataOID) + algorithm + DERWriter.tlv(0x80, ciphertext))
        return DERWriter.tlv(0x30, integer(0) + contentInfo)
    }

    /// One `PKCS12Attribute`: the OID and a SET holding the one value.
    static func attribute(_ oid: String, _ value: [UInt8]) throws -> [UInt8] {
        DERWriter.tlv(0x30, try objectIdentifier(oid) + DERWriter.tlv(0x31, value))
    }

    /// A DER SET OF: the elements sorted by their encodings.
    static func setOf(_ elements: [[UInt8]]) -> [UInt8] {
        elements.sorted { $0.lexicographicallyPrecedes($1) }.flatMap { $0 }
    }

    /// A non-negative INTEGER.
    static func integer(_ value: Int) -> [UInt8] {
        var bytes = [UInt8]()
        var rest = value
        repeat {
            bytes.insert(UInt8(rest & 0xff), at: 0)
            rest >>= 8
        } while rest > 0
        if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        return DERWriter.tlv(0x02, bytes)
    }

    /// An OBJECT IDENTIFIER element from dotted text.
    public static func objectIdentifier(_ dotted: String) throws -> [UInt8] {
        let arcs = dotted.split(separator: ".").map { UInt64($0) }
        guard arcs.count >= 2, arcs.allSatisfy({ $0 != nil }), arcs[0]! <= 2, arcs[1]! < 40 || arcs[0]! == 2 else {
            throw PKIError(.invalidArgument, "'\(dotted)' is not a dotted OID")
        }
        var content = [UInt8]()
        for arc in [arcs[0]! * 40 + arcs[1]!] + arcs.dropFirst(2).map({ $0! }) {
            var chunk = [UInt8(arc & 0x7f)]
            var rest = arc >> 7
            while rest > 0 {
                chunk.insert(UInt8(rest & 0x7f) | 0x80, at: 0)
                rest >>= 7
            }
            content += chunk
        }
        return DERWriter.tlv(0x06, content)
    }
}

extension PKCS12Encoding {
    /// A PFX (version 3, password integrity) whose AuthenticatedSafe holds the given
    /// ContentInfos, with a placeholder MAC (a zero SHA-256 digest) for the engine to
    /// replace: GnuTLS computes a MAC only into a file that has a MacData element already.
    public static func pfxWithPlaceholderMAC(_ contentInfos: [[UInt8]]) throws -> [UInt8] {
        let authenticatedSafe = DERWriter.tlv(0x30, contentInfos.flatMap { $0 })
        let authSafe = try dataContentInfo(authenticatedSafe)
        let sha256 = DERWriter.tlv(0x30, try objectIdentifier("2.16.840.1.101.3.4.2.1") + [0x05, 0x00])
        let digestInfo = DERWriter.tlv(0x30, sha256 + DERWriter.tlv(0x04, [UInt8](repeating: 0, count: 32)))
        let macData = DERWriter.tlv(
            0x30, digestInfo + DERWriter.tlv(0x04, [UInt8](repeating: 0, count: 8)) + integer(1))
        return DERWriter.tlv(0x30, integer(3) + authSafe + macData)
    }

    /// A ContentInfo of type data holding `content` in its OCTET STRING.
    public static func dataContentInfo(_ content: [UInt8]) throws -> [UInt8] {
        DERWriter.tlv(0x30, try objectIdentifier(dataOID) + DERWriter.tlv(0xa0, DERWriter.tlv(0x04, content)))
    }

    /// A ContentInfo of type encryptedData holding `encryptedData` (see ``encryptedData(algorithm:ciphertext:)``).
    public static func encryptedDataContentInfo(_ encryptedData: [UInt8]) throws -> [UInt8] {
        DERWriter.tlv(0x30, try objectIdentifier(encryptedDataOID) + DERWriter.tlv(0xa0, encryptedData))
    }
}
