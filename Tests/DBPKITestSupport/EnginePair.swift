import Testing

/// A pair of engines: one makes, the other reads or verifies, so what one engine writes is held to
/// what the other reads.
public struct EnginePair: Sendable, CustomTestStringConvertible {
    public let maker: EngineUnderTest
    public let checker: EngineUnderTest
    public var testDescription: String { "\(maker.testDescription) -> \(checker.testDescription)" }

    public init(maker: EngineUnderTest, checker: EngineUnderTest) {
        self.maker = maker
        self.checker = checker
    }
}
