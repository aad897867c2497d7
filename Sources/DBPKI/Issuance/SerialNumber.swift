/// Certificate serial numbers: 16 random bytes (128 bits, well above the CA/B
/// Forum's 64), read as a positive integer.
public enum SerialNumber {
    /// A fresh random serial's content octets: positive, with a leading zero byte
    /// when the top bit is set, and never a redundant leading zero.
    public static func random() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()  // getrandom(2) on Linux: a CSPRNG
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        if bytes[0] == 0 { bytes[0] = 1 }  // keep 16 significant bytes, so DER stays minimal
        return bytes[0] & 0x80 != 0 ? [0] + bytes : bytes
    }

    /// Throws unless `octets` are what RFC 5280 allows a serial's INTEGER content to be:
    /// present, positive (top bit clear) and minimal (no redundant leading zero byte), at
    /// most 20 octets. The core's rule, which every engine applies before it encodes a
    /// request: left to themselves, GnuTLS wrote negative and non-minimal serials as given
    /// while OpenSSL refused them.
    public static func check(_ octets: [UInt8]) throws {
        guard let first = octets.first else { throw PKIError(.invalidArgument, "the serial number is empty") }
        guard first & 0x80 == 0 else {
            throw PKIError(.invalidArgument, "the serial number must be a positive INTEGER")
        }
        guard !(first == 0 && octets.count > 1 && octets[1] & 0x80 == 0) else {
            throw PKIError(.invalidArgument, "the serial number has a redundant leading zero byte (not DER)")
        }
        guard octets.count <= 20 else {
            throw PKIError(.invalidArgument, "the serial number is longer than the 20 octets RFC 5280 allows")
        }
    }

    /// Encodes a non-negative integer as minimal positive INTEGER content octets.
    public static func encode(_ value: UInt64) -> [UInt8] {
        var bytes = [UInt8]()
        var rest = value
        repeat {
            bytes.insert(UInt8(rest & 0xff), at: 0)
            rest >>= 8
        } while rest != 0
        return bytes[0] & 0x80 != 0 ? [0] + bytes : bytes
    }
}
