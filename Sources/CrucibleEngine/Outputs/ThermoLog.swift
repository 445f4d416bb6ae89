import Foundation
/// The thermo log of one replica: chosen columns on the terminal (aligned, through the console) and
/// in a CSV file (full precision).
final class ThermoLog {
    let columns: [ThermoOutputPlan.Column]
    private let csv: TextFile?
    private let console: Console
    /// Shown before each terminal row when several replicas share the terminal ("r2").
    private let label: String?
    /// Number of `cv` values per row (rows of a run without them are padded, e.g. a minimisation).
    private let variableCount: Int

    /// A new log, or (`keepRows`) the continuation of an interrupted run's log: its header and first
    /// `keepRows` rows are kept, rows written after the checkpoint are dropped.
    init(plan: ThermoOutputPlan, symbols: [String], variables: [String] = [], path: String?, console: Console, label: String? = nil,
         keepRows: Int? = nil) throws {
        columns = plan.columns
        variableCount = variables.count
        self.console = console
        self.label = label
        let header = columns.flatMap { column in
            Self.names(column, symbols: symbols, variables: variables).map { column.unit.isEmpty ? $0 : "\($0) [\(column.unit)]" }
        }.joined(separator: ",")
        if let keepRows, let path {
            let old = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            var lines = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.first != header {
                throw InputError(file: path, "the thermo file does not belong to this run (header differs); cannot continue it")
            }
            lines = Array(lines.prefix(1 + keepRows)).filter { !$0.isEmpty }
            try TextFile.writeAtomically(lines.joined(separator: "\n") + "\n", to: path)
            csv = try TextFile(path: path, append: true)
        } else {
            csv = try path.map { try TextFile(path: $0) }
            csv?.write(header)
        }
    }

    /// The column header on the terminal (once per run, not per replica).
    static func terminalHeader(_ columns: [ThermoOutputPlan.Column], symbols: [String], variables: [String] = [], labelled: Bool) -> String {
        (labelled ? pad("replica", width: 8) + " " : "") + columns.flatMap { names($0, symbols: symbols, variables: variables) }.map { pad($0) }.joined(separator: " ")
    }

    /// The names of a column's values (one per species for `concentrations` and `kinetic_by_species`).
    static func names(_ column: ThermoOutputPlan.Column, symbols: [String], variables: [String] = []) -> [String] {
        switch column {
        case .cv: return variables.map { "cv_" + $0 }
        case .concentrations: return symbols.map { "x_" + $0 }
        case .kinetic_by_species: return symbols.map { "kinetic_" + $0 }
        default: return [column.rawValue]
        }
    }

    func record(_ sample: ThermoSample) {
        let values = columns.flatMap { column in
            let values = sample.values(column)
            return (column == .cv ? Array((values + [Double](repeating: .nan, count: variableCount)).prefix(variableCount)) : values).map { (column, $0) }
        }
        csv?.write(values.map { $0 == .step || $0 == .state ? String(Int($1)) : "\($1)" }.joined(separator: ","))
        let row = values.map { Self.pad(Self.format($1, $0)) }.joined(separator: " ")
        console.row(label.map { Self.pad($0, width: 8) + " " + row } ?? row)
    }

    func close() { csv?.close() }

    static func pad(_ text: String, width: Int = 14) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    static func format(_ value: Double, _ column: ThermoOutputPlan.Column) -> String {
        if column == .step || column == .state { return String(Int(value)) }
        let magnitude = abs(value)
        if magnitude != 0 && (magnitude >= 1e7 || magnitude < 1e-3) {
            return String(format: "%.6e", value)
        }
        return String(format: "%.6f", value)
    }
}
