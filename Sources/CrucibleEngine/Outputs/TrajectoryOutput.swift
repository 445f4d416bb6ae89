import Foundation

/// Frames of one replica in an H5MD file, with the thermo quantities as observables and the deck as a parameter.
final class TrajectoryOutput {
    let plan: TrajectoryOutputPlan
    private let writer: H5MDWriter
    static let observables: [ThermoOutputPlan.Column] = [.temperature, .potential, .kinetic, .total, .conserved, .pressure, .volume]

    init(plan: TrajectoryOutputPlan, path: String, configuration: Configuration, deckText: String) throws {
        self.plan = plan
        let species = configuration.species.map { Int32(Element(symbol: configuration.speciesTable.symbols[Int($0)])?.atomicNumber ?? 0) }
        let fields = Set(plan.fields.compactMap { H5MDWriter.Field(rawValue: $0.rawValue) })
        writer = try H5MDWriter(path: path, author: ProcessInfo.processInfo.environment["USER"] ?? "crucible",
                                creatorVersion: CrucibleVersion.string, atomCount: configuration.count, species: species,
                                elements: configuration.species.map { configuration.speciesTable.symbols[Int($0)] },
                                pbc: configuration.cell.periodic, fields: fields,
                                observables: Self.observables.map { H5MDWriter.Observable($0.rawValue, unit: $0.unit) },
                                deckText: deckText)
    }

    /// Continues the trajectory of an interrupted run: frames after `step` (written after its last
    /// checkpoint) are dropped, and a file left half-written by a crash is repaired.
    init(resuming plan: TrajectoryOutputPlan, path: String, afterStep step: Int) throws {
        self.plan = plan
        writer = try H5MDWriter(appendingTo: path, truncateAfterStep: step)
    }

    func record(_ sample: ThermoSample, configuration: Configuration, forces: [Double]) throws {
        var observables: [String: Double] = [:]
        for column in Self.observables { observables[column.rawValue] = sample.value(column) }
        try writer.append(step: sample.step, time: sample.time, cell: configuration.cell.matrix, positions: configuration.positions,
                          velocities: plan.fields.contains(.velocity) ? configuration.velocities : nil,
                          forces: plan.fields.contains(.force) ? forces : nil, observables: observables)
        // Every frame reaches the disk, so a killed run keeps all frames written so far.
        try writer.flush()
    }

    func close() throws { try writer.close() }
}

public enum CrucibleVersion {
    public static let string = "0.1.0"
}
