// Writes a corpus of certificate files for scripts/bench-audit, signed in process by the
// OpenSSL engine (a few reused keys, one signature per certificate), fast enough for 100k.
//   audit-corpus DIR COUNT AT
// DIR gets DIR/NNN/cert-NNNNNN.crt (1000 per folder), plus DIR/keys/ (CA key PEM, skipped
// by the audit) and a combined cert+key PEM. AT (Unix seconds) is the audit time the
// spread of notAfter values is laid around: expired, expiring today, each warn stage, ok.
import DBPKI
import DBPKIOpenSSL
import Dispatch
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 4, let count = Int(arguments[2]), let atSeconds = Double(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: audit-corpus DIR COUNT AT-UNIX-SECONDS\n".utf8))
    exit(64)
}
let folder = arguments[1]
let at = Date(timeIntervalSince1970: atSeconds)
let backend = OpenSSLBackend()
let issuer = CertificateIssuer(backend: backend, now: { at })

/// One CA per key type, each signing the leaves of its type.
struct Authority: @unchecked Sendable {
    let der: [UInt8]
    let key: PrivateKey
    let subjectSPKI: [UInt8]
    let subjectKeyID: [UInt8]
    let keyID: [UInt8]?
}
let types: [KeyType] = [.ecdsaP256, .rsa2048, .ed25519]
let authorities: [Authority] = try types.map { type in
    let key = try backend.generatePrivateKey(type)
    let der = try issuer.issue(.rootCA(name: "Bench \(type.rawValue) CA"), subjectKey: key, authority: nil)
    let info = try backend.parseCertificate(der: der)
    let leafKey = try backend.generatePrivateKey(type)
    let spki = try backend.publicKeyInfo(of: leafKey)
    return Authority(
        der: der, key: key, subjectSPKI: spki, subjectKeyID: try issuer.keyIdentifier(ofSPKI: spki),
        keyID: info.subjectKeyIdentifier)
}

/// Days from AT to notAfter for certificate `index`: a spread with every stage represented.
@Sendable func daysLeft(_ index: Int) -> Double {
    switch index % 20 {
    case 0: return -Double(1 + index % 400)  // expired
    case 1: return 0.4  // expires today
    case 2: return Double(1 + index % 7)  // warn-7
    case 3: return Double(8 + index % 8)  // warn-15
    case 4, 5: return Double(16 + index % 15)  // warn-30
    default: return Double(31 + index % 800)  // ok
    }
}

try FileManager.default.createDirectory(atPath: folder + "/keys", withIntermediateDirectories: true)
for (type, authority) in zip(types, authorities) {
    try AtomicFile.write(
        PEM.encode(label: "CERTIFICATE", der: authority.der), to: "\(folder)/ca-\(type.rawValue).crt", mode: 0o644)
    try AtomicFile.write(
        PEM.encode(label: "PRIVATE KEY", der: authority.key.pkcs8DER), to: "\(folder)/keys/ca-\(type.rawValue).key",
        mode: 0o600)
}

let start = Date()
let failures = Atomic()
DispatchQueue.concurrentPerform(iterations: 2) { worker in
    for index in stride(from: worker, to: count, by: 2) {
        let authority = authorities[index % authorities.count]
        let notAfter = at.addingTimeInterval((daysLeft(index) * 86_400).rounded(.down) + Double(index % 3600))
        let name = String(format: "db%06d.example.com", index)
        let request = CertificateRequest(
            subject: .commonName(name), serialNumber: SerialNumber.random(),
            notBefore: notAfter.addingTimeInterval(-90 * 86_400),
            notAfter: notAfter, subjectPublicKeyInfo: authority.subjectSPKI, keyUsage: [.digitalSignature],
            extendedKeyUsage: [ExtendedKeyUsage.serverAuth], subjectAlternativeNames: [.dns(name)],
            subjectKeyIdentifier: authority.subjectKeyID, authorityKeyIdentifier: authority.keyID)
        do {
            let der = try backend.createCertificate(request, issuer: authority.der, signingKey: authority.key)
            let sub = String(format: "%@/%03d", folder, index / 1000)
            try? FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
            // A plain write: AtomicFile's fsync per file would dominate a 100k corpus.
            try Data(PEM.encode(label: "CERTIFICATE", der: der).utf8).write(
                to: URL(fileURLWithPath: String(format: "%@/cert-%06d.crt", sub, index)))
        } catch {
            failures.add()
        }
    }
}
let seconds = Date().timeIntervalSince(start)
print(String(format: "generated %d certificates in %.1f s (%d failures)", count, seconds, failures.value))

/// A counter shared by the two writers.
final class Atomic: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
