/// A minimal, bounds-checked DER reader for the few structures the core must
/// look inside without an engine (PEM/DER sniffing, the subjectPublicKey bits
/// for key identifiers). It decodes; it verifies nothing.
public struct DERReader {
    /// One decoded TLV.
    public struct Element {
        /// The identifier octet (class, constructed bit, tag number < 31).
        public var tag: UInt8
        /// The content octets.
        public var content: ArraySlice<UInt8>
        /// Every octet of the element, header included.
        public var encoded: ArraySlice<UInt8>
    }

    private var bytes: ArraySlice<UInt8>

    /// Reads from the given bytes.
    public init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    /// True when everything has been read.
    public var isAtEnd: Bool { bytes.isEmpty }

    /// Reads the next element; throws on truncation, indefinite or non-minimal lengths, or high tag numbers.
    public mutating func read() throws -> Element {
        guard bytes.count >= 2 else { throw PKIError(.invalidInput, "truncated DER") }
        let start = bytes.startIndex
        let tag = bytes[start]
        guard tag & 0x1f != 0x1f else { throw PKIError(.invalidInput, "unsupported DER tag") }
        var index = start + 1
        let first = bytes[index]
        index += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7f)
            guard count >= 1, count <= 4, bytes.endIndex - index >= count else {
                throw PKIError(.invalidInput, "bad DER length")
            }
            for _ in 0..<count {
                length = length << 8 | Int(bytes[index])
                index += 1
            }
            guard length >= 0x80, length >> (8 * (count - 1)) != 0 else {
                throw PKIError(.invalidInput, "non-minimal DER length")
            }
        }
        guard bytes.endIndex - index >= length else { throw PKIError(.invalidInput, "truncated DER") }
        let element = Element(
            tag: tag, content: bytes[index..<(index + length)], encoded: bytes[start..<(index + length)])
        bytes = bytes[(index + length)...]
        return element
    }

    /// Reads the next element and checks its tag.
    public mutating func read(tag: UInt8) throws -> Element {
        let element = try read()
        guard element.tag == tag else { throw PKIError(.invalidInput, "unexpected DER tag") }
        return element
    }

    /// True when `bytes` is exactly one DER SEQUENCE with nothing after it.
    public static func isSingleSequence(_ bytes: [UInt8]) -> Bool {
        var reader = DERReader(bytes[...])
        guard let element = try? reader.read() else { return false }
        return element.tag == 0x30 && reader.isAtEnd
    }

    /// The subjectPublicKey BIT STRING's bits (without the unused-bits octet) of a
    /// SubjectPublicKeyInfo: the input to an RFC 5280 method-1 key identifier.
    public static func subjectPublicKeyBits(ofSPKI spki: [UInt8]) throws -> [UInt8] {
        var outer = DERReader(spki[...])
        let sequence = try outer.read(tag: 0x30)
        var inner = DERReader(sequence.content)
        _ = try inner.read(tag: 0x30)  // AlgorithmIdentifier
        let bitString = try inner.read(tag: 0x03)
        guard let unused = bitString.content.first, unused == 0 else {
            throw PKIError(.invalidInput, "bad subjectPublicKey BIT STRING")
        }
        return Array(bitString.content.dropFirst())
    }
}
