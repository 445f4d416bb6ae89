import Foundation
/// The thermo log: chosen columns on the terminal (aligned) and in a CSV file (full precision).
final class ThermoLog {
    let columns: [ThermoOutputPlan.Column]
    let trigger: Trigger
    private let csv: TextFile?
    private let echo: Bool

    init(plan: ThermoOutputPlan, options: RunOptions) throws {
        columns = plan.columns
        trigger = .every(plan.every)
        csv = try plan.path.map { try TextFile(path: options.place($0)) }
        echo = !options.quiet
        csv?.write(columns.map { $0.unit.isEmpty ? $0.rawValue : "\($0.rawValue) [\($0.unit)]" }.joined(separator: ","))
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
