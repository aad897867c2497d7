import CGnuTLS
import DBPKI

/// Owns one `gnutls_pubkey_t`.
final class GnuTLSPublicKeyHandle {
    let handle: gnutls_pubkey_t

    init() throws { handle = try GnuTLSObject.make("a public key", gnutls_pubkey_init) }

    /// Decodes SubjectPublicKeyInfo DER.
    convenience init(spki: [UInt8]) throws {
        try self.init()
        try GnuTLSObject.importDER(spki, "SubjectPublicKeyInfo", singleSequence: false) {
            gnutls_pubkey_import(handle, $0, GNUTLS_X509_FMT_DER)
        }
    }

    deinit { gnutls_pubkey_deinit(handle) }

    /// SubjectPublicKeyInfo DER.
    func export() throws -> [UInt8] {
        try GnuTLSDatum.allocated("cannot encode the public key") {
            gnutls_pubkey_export2(handle, GNUTLS_X509_FMT_DER, $0)
        }
    }

    /// What kind of key this is and how big.
    func describe() throws -> PublicKeyDescription {
        var bits: UInt32 = 0
        let algorithm = gnutls_pubkey_get_pk_algorithm(handle, &bits)
        try GnuTLSError.check(algorithm, "cannot read the public key algorithm", .invalidInput)
        switch gnutls_pk_algorithm_t(rawValue: UInt32(algorithm)) {
        case GNUTLS_PK_RSA:
            return PublicKeyDescription(algorithm: .rsa, bits: Int(bits), curve: nil)
        case GNUTLS_PK_DSA:
            return PublicKeyDescription(algorithm: .dsa, bits: Int(bits), curve: nil)
        case GNUTLS_PK_EDDSA_ED25519:
            return PublicKeyDescription(algorithm: .ed25519, bits: 256, curve: nil)
        case GNUTLS_PK_EDDSA_ED448:
            return PublicKeyDescription(algorithm: .ed448, bits: 448, curve: nil)
        case GNUTLS_PK_ECDSA:
            var curve = GNUTLS_ECC_CURVE_INVALID
            try GnuTLSError.check(
                gnutls_pubkey_export_ecc_raw2(handle, &curve, nil, nil, 0), "cannot read the EC curve", .invalidInput)
            let known = GnuTLSCurves.nist[curve]
            return PublicKeyDescription(
                algorithm: .ec, bits: known?.bits ?? Int(gnutls_ecc_curve_get_size(curve)) * 8, curve: known?.name)
        default:
            return PublicKeyDescription(algorithm: .init(name: try oid()), bits: Int(bits), curve: nil)
        }
    }

    /// The algorithm OID of the SubjectPublicKeyInfo, for algorithms dbpki has no name for.
    private func oid() throws -> String {
        var reader = DERReader(try export()[...])
        var spki = DERReader(try reader.read(tag: 0x30).content)
        var algorithm = DERReader(try spki.read(tag: 0x30).content)
        return DERReader.objectIdentifierText(Array(try algorithm.read(tag: 0x06).content))
    }
}

/// The NIST curves dbpki names.
enum GnuTLSCurves {
    static let nist: [gnutls_ecc_curve_t: (name: String, bits: Int)] = [
        GNUTLS_ECC_CURVE_SECP192R1: ("P-192", 192),
        GNUTLS_ECC_CURVE_SECP224R1: ("P-224", 224),
        GNUTLS_ECC_CURVE_SECP256R1: ("P-256", 256),
        GNUTLS_ECC_CURVE_SECP384R1: ("P-384", 384),
        GNUTLS_ECC_CURVE_SECP521R1: ("P-521", 521),
    ]
}
