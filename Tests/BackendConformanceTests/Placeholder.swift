import Testing
@testable import DBPKI

@Suite struct ConformancePlaceholder {
    @Test func aBlockRoundTrips() throws {
        let der: [UInt8] = [0x30, 0x03, 0x02, 0x01, 0x05]
        let text = PEM.encode(label: "CERTIFICATE", der: der)
        #expect(try PEM.decode(Array(text.utf8)) == [PEM.Block(label: "CERTIFICATE", der: der)])
    }
}
