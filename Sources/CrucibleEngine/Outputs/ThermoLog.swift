import Foundation
/// The thermo log: chosen columns on the terminal (aligned) and in a CSV file (full precision).
final class ThermoLog {
    let columns: [ThermoOutputPlan.Column]
    let trigger: Trigger
    private let csv: TextFile?
    private let echo: Bool

    /// A new log, or (`keepRows`) the continuation of an interrupted run's log: its header and first
    /// `keepRows` rows are kept, rows written after the checkpoint are dropped.
    init(plan: ThermoOutputPlan, options: RunOptions, keepRows: Int? = nil) throws {
        columns = plan.columns
        trigger = .every(plan.every)
        echo = !options.quiet
        let header = columns.map { $0.unit.isEmpty ? $0.rawValue : "\($0.rawValue) [\($0.unit)]" }.joined(separator: ",")
        if let keepRows, let path = plan.path.map(options.place) {
            let old = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            var lines = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.first != header {
                throw InputError(file: path, "the thermo file does not belong to this run (header differs); cannot continue it")
            }
            lines = Array(lines.prefix(1 + keepRows)).filter { !$0.isEmpty }
            try TextFile.writeAtomically(lines.joined(separator: "\n") + "\n", to: path)
            csv = try TextFile(path: path, append: true)
        } else {
            csv = try plan.path.map { try TextFile(path: options.place($0)) }
            csv?.write(header)
        }
        if echo { print(columns.map { Self.pad($0.rawValue) }.joined(separator: " ")) }
    }

    func record(_ sample: ThermoSample) {
        let values = columns.map { sample.value($0) }
        csv?.write(zip(columns, values).map { $0 == .step ? String(Int($1)) : "\($1)" }.joined(separator: ","))
        if echo { print(zip(columns, values).map { Self.pad(Self.format($1, $0)) }.joined(separator: " ")) }
    }

    func close() { csv?.close() }

    static func pad(_ text: String) -> String {
        text.count >= 14 ? text : String(repeating: " ", count: 14 - text.count) + text
    }

    static func format(_ value: Double, _ column: ThermoOutputPlan.Column) -> String {
        if column == .step { return String(Int(value)) }
        let magnitude = abs(value)
        if magnitude != 0 && (magnitude >= 1e7 || magnitude < 1e-3) {
            return String(format: "%.6e", value)
        }
        return String(format: "%.6f", value)
    }
}
