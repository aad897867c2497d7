/// The output formats of `dbpki audit --format`.
public enum AuditFormat: String, CaseIterable, Sendable {
    /// Aligned columns sorted by days left, then a summary line.
    case table
    /// One JSON object: `{"certificates": [...], "summary": {...}}`.
    case json
    /// Prometheus text exposition for node_exporter's textfile collector.
    case prometheus

    /// Writes the report in this format, handing out chunks of about 1 MiB to `sink`
    /// so a large report is never built as one string.
    public func write(_ report: AuditReport, to sink: (ArraySlice<UInt8>) throws -> Void) throws {
        try withoutActuallyEscaping(sink) { sink in
            var output = ChunkedOutput(sink: sink)
            switch self {
            case .table: try AuditTableFormat.write(report, to: &output)
            case .json: try AuditJSONFormat.write(report, to: &output)
            case .prometheus: try AuditPrometheusFormat.write(report, to: &output)
            }
            try output.flush()
        }
    }

    /// The whole report as bytes.
    public func render(_ report: AuditReport) throws -> [UInt8] {
        var bytes = [UInt8]()
        try write(report) { bytes += $0 }
        return bytes
    }
}

/// A byte buffer that hands full chunks to a sink.
struct ChunkedOutput {
    private var buffer: [UInt8] = []
    private let sink: (ArraySlice<UInt8>) throws -> Void
    private let chunk = 1 << 20

    init(sink: @escaping (ArraySlice<UInt8>) throws -> Void) {
        self.sink = sink
        buffer.reserveCapacity(chunk + 4096)
    }

    mutating func append(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= chunk { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try sink(buffer[...])
        buffer.removeAll(keepingCapacity: true)
    }
}
