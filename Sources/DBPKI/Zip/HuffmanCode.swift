/// A canonical Huffman code (RFC 1951 section 3.2.2), known from its code lengths alone.
struct HuffmanCode: Sendable {
    /// No deflate code is longer.
    static let maximumLength = 15

    /// How many codes have each length (index 0 unused).
    let counts: [Int]
    /// The symbols in code order: by length, then by symbol value.
    let symbols: [Int]

    /// Builds the code from one length per symbol (0 = symbol unused). A code with more codes
    /// than its lengths allow is refused; so is one with gaps, except, when `allowsSingleCode`,
    /// a table with no symbol or a single symbol of length 1, as deflate encoders send for a
    /// block with one distance or none.
    init(lengths: [Int], allowsSingleCode: Bool) throws {
        var counts = [Int](repeating: 0, count: Self.maximumLength + 1)
        for length in lengths {
            guard (0...Self.maximumLength).contains(length) else {
                throw PKIError(.invalidInput, "a code length past \(Self.maximumLength)")
            }
            counts[length] += 1
        }
        counts[0] = 0
        var unused = 1
        for length in 1...Self.maximumLength {
            unused = unused * 2 - counts[length]
            guard unused >= 0 else { throw PKIError(.invalidInput, "a Huffman table with too many codes") }
        }
        let used = counts.reduce(0, +)
        if unused > 0 && !(allowsSingleCode && (used == 0 || used == 1 && counts[1] == 1)) {
            throw PKIError(.invalidInput, "a Huffman table with codes missing")
        }
        var next = [Int](repeating: 0, count: Self.maximumLength + 1)
        for length in 1..<Self.maximumLength { next[length + 1] = next[length] + counts[length] }
        var symbols = [Int](repeating: 0, count: used)
        for (symbol, length) in lengths.enumerated() where length != 0 {
            symbols[next[length]] = symbol
            next[length] += 1
        }
        self.counts = counts
        self.symbols = symbols
    }
}
