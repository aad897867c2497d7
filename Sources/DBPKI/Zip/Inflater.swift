/// A deflate (RFC 1951) decoder for zip entries, written for hostile input.
///
/// It is in Swift because the core links no C library, and strict because what it reads
/// comes from outside: every read is checked against the end of the input, every back
/// reference against the start of the output, and the output against a limit, so a bad
/// stream ends at once in a clear error. Each block consumes input, so decoding takes time
/// in proportion to the input and the limit; a stream cut short can never make it wait for
/// more (zlib-based readers that loop "until the stream ends" hang on one).
struct Inflater {
    /// Decodes a whole raw deflate stream (no zlib or gzip wrapper), as a zip entry holds it.
    /// Bytes after the final block are ignored. Throws ``PKIError/Code/invalidInput`` when the
    /// stream is cut short or malformed, or would inflate past `limit` bytes.
    static func inflate(_ input: ArraySlice<UInt8>, limit: Int) throws -> [UInt8] {
        var inflater = Inflater(input: input, limit: limit)
        var isFinal = false
        repeat {
            isFinal = try inflater.bits(1) == 1
            switch try inflater.bits(2) {
            case 0: try inflater.storedBlock()
            case 1: try inflater.codedBlock(literals: fixedLiterals, distances: fixedDistances)
            case 2:
                let (literals, distances) = try inflater.dynamicCodes()
                try inflater.codedBlock(literals: literals, distances: distances)
            default: throw failure("a block of the reserved type 3")
            }
        } while !isFinal
        return inflater.output
    }

    private let input: ArraySlice<UInt8>
    private let limit: Int
    private var position: Int
    /// Bits read from the input and not yet used, least significant first; fewer than 8
    /// between reads, so dropping them aligns to the next byte.
    private var bitBuffer: UInt32 = 0
    private var bitCount = 0
    private var output: [UInt8] = []

    private init(input: ArraySlice<UInt8>, limit: Int) {
        self.input = input
        self.limit = limit
        self.position = input.startIndex
    }

    private static func failure(_ message: String) -> PKIError { PKIError(.invalidInput, message) }

    private static let cutShort = failure("the compressed data ends before its last block does")

    /// The next `count` (at most 16) bits of the stream, first bit lowest.
    private mutating func bits(_ count: Int) throws -> Int {
        while bitCount < count {
            guard position < input.endIndex else { throw Self.cutShort }
            bitBuffer |= UInt32(input[position]) << UInt32(bitCount)
            position += 1
            bitCount += 8
        }
        let value = Int(bitBuffer & ((1 << UInt32(count)) - 1))
        bitBuffer >>= UInt32(count)
        bitCount -= count
        return value
    }

    /// Makes room for `count` more output bytes, or refuses when that passes the limit.
    private func ensureRoom(_ count: Int) throws {
        guard count <= limit - output.count else { throw Self.failure("it inflates past \(limit) bytes") }
    }

    // MARK: Blocks

    /// Type 0: a length, its complement and that many bytes, from the next byte boundary.
    private mutating func storedBlock() throws {
        bitBuffer = 0
        bitCount = 0
        guard input.endIndex - position >= 4 else { throw Self.cutShort }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        position += 4
        guard length == complement ^ 0xFFFF else { throw Self.failure("a stored block whose length check fails") }
        guard input.endIndex - position >= length else { throw Self.cutShort }
        try ensureRoom(length)
        output.append(contentsOf: input[position..<(position + length)])
        position += length
    }

    /// Types 1 and 2: literals and back references up to the end-of-block code.
    private mutating func codedBlock(literals: HuffmanCode, distances: HuffmanCode) throws {
        while true {
            let symbol = try decode(literals)
            if symbol < 256 {
                try ensureRoom(1)
                output.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < Self.lengthBase.count else { throw Self.failure("an invalid length code") }
            let length = Self.lengthBase[lengthIndex] + (try bits(Self.lengthExtraBits[lengthIndex]))
            let distanceIndex = try decode(distances)
            guard distanceIndex < Self.distanceBase.count else { throw Self.failure("an invalid distance code") }
            let distance = Self.distanceBase[distanceIndex] + (try bits(Self.distanceExtraBits[distanceIndex]))
            guard distance <= output.count else {
                throw Self.failure("a reference \(distance) bytes back, before the start of the data")
            }
            try ensureRoom(length)
            let start = output.count - distance
            for offset in 0..<length { output.append(output[start + offset]) }
        }
    }

    /// The order in which a dynamic block sends the code lengths of its code-length code.
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Type 2's header: the literal/length and distance codes, themselves sent as code lengths
    /// coded with a small code of their own.
    private mutating func dynamicCodes() throws -> (literals: HuffmanCode, distances: HuffmanCode) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeLengthCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw Self.failure("a block header with too many codes")
        }
        var codeLengthLengths = [Int](repeating: 0, count: 19)
        for index in 0..<codeLengthCount { codeLengthLengths[Self.codeLengthOrder[index]] = try bits(3) }
        let codeLengthCode = try HuffmanCode(lengths: codeLengthLengths, allowsSingleCode: false)
        let total = literalCount + distanceCount
        var lengths = [Int]()
        lengths.reserveCapacity(total)
        while lengths.count < total {
            let symbol = try decode(codeLengthCode)
            let value: Int
            let repeats: Int
            switch symbol {
            case 0...15: (value, repeats) = (symbol, 1)
            case 16:
                guard let previous = lengths.last else {
                    throw Self.failure("a repeated code length with nothing before it")
                }
                (value, repeats) = (previous, 3 + (try bits(2)))
            case 17: (value, repeats) = (0, 3 + (try bits(3)))
            default: (value, repeats) = (0, 11 + (try bits(7)))
            }
            guard repeats <= total - lengths.count else { throw Self.failure("code lengths past the end of the table") }
            lengths += repeatElement(value, count: repeats)
        }
        guard lengths[256] != 0 else { throw Self.failure("a block without an end-of-block code") }
        return (
            try HuffmanCode(lengths: Array(lengths[..<literalCount]), allowsSingleCode: true),
            try HuffmanCode(lengths: Array(lengths[literalCount...]), allowsSingleCode: true)
        )
    }

    /// Reads one symbol, a bit at a time: codes of one length are consecutive numbers, so
    /// the code read so far either falls in that length's range or is a prefix of a longer one.
    private mutating func decode(_ code: HuffmanCode) throws -> Int {
        var value = 0
        var first = 0
        var index = 0
        for length in 1...HuffmanCode.maximumLength {
            value |= try bits(1)
            let count = code.counts[length]
            let offset = value - first
            if offset >= 0 && offset < count { return code.symbols[index + offset] }
            index += count
            first = (first + count) << 1
            value <<= 1
        }
        throw Self.failure("a code that is not in the block's table")
    }

    // MARK: Fixed tables (RFC 1951 section 3.2.5 and 3.2.6)

    private static let lengthBase = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    private static let lengthExtraBits = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    private static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577,
    ]
    private static let distanceExtraBits = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]

    /// Type 1's literal/length code: 288 symbols (286 and 287 never valid), lengths 8, 9, 7, 8.
    private static let fixedLiterals = try! HuffmanCode(
        lengths: [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112) + [Int](repeating: 7, count: 24)
            + [Int](repeating: 8, count: 8),
        allowsSingleCode: false
    )
    /// Type 1's distance code: 32 five-bit codes (30 and 31 never valid).
    private static let fixedDistances = try! HuffmanCode(
        lengths: [Int](repeating: 5, count: 32), allowsSingleCode: false)
}
