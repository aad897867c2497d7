/// The CRC-32 a zip entry carries (IEEE 802.3, reflected, polynomial 0xEDB88320), so an
/// entry whose bytes were damaged or altered after the archive was written is caught.
struct CRC32 {
    /// One entry per byte value: the remainder of that byte shifted through the polynomial.
    private static let table: [UInt32] = (0..<256).map { byte in
        var remainder = UInt32(byte)
        for _ in 0..<8 {
            remainder = remainder & 1 == 1 ? (remainder >> 1) ^ 0xEDB8_8320 : remainder >> 1
        }
        return remainder
    }

    /// The running register, kept inverted as the algorithm wants.
    private var register: UInt32 = 0xFFFF_FFFF

    /// Starts an empty checksum.
    init() {}

    /// Feeds more bytes.
    mutating func update(_ bytes: some Sequence<UInt8>) {
        var register = self.register
        for byte in bytes {
            register = (register >> 8) ^ Self.table[Int((register ^ UInt32(byte)) & 0xFF)]
        }
        self.register = register
    }

    /// The checksum of everything fed so far.
    var value: UInt32 { register ^ 0xFFFF_FFFF }

    /// The checksum of `bytes`.
    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}
