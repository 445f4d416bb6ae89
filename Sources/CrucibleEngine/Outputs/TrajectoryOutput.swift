import Foundation

/// Frames of one replica in an H5MD file, with the thermo quantities as observables and the deck as a parameter.
final class TrajectoryOutput {
    let plan: TrajectoryOutputPlan
    private let writer: H5MDWriter
    static let observables: [ThermoOutputPlan.Column] = [.temperature, .potential, .kinetic, .total, .conserved, .pressure, .volume]

    /// Path integrals add these observables.
    static let ringPolymerObservables: [ThermoOutputPlan.Column] = [.kinetic_primitive, .spring]

    /// Files by state also store which replica each frame came from.
    private let storesReplica: Bool
    /// The thermo quantities stored as observables.
    private let columns: [ThermoOutputPlan.Column]
    /// Observables of the bias terms: `cv_<name>` per collective variable with its index among the
    /// sample's variables (potential order), and `bias`.
    private let variableObservables: [(name: String, index: Int)]
    private let storesBias: Bool

    /// `speciesVary`: Monte Carlo moves change species, so every frame stores them (H5MD time-dependent species).
    init(plan: TrajectoryOutputPlan, path: String, configuration: Configuration, deckText: String, byState: Bool = false,
         speciesVary: Bool = false, pathIntegral: Bool = false, variables: [String] = []) throws {
        self.plan = plan
        storesReplica = byState
        columns = Self.observables + (pathIntegral ? Self.ringPolymerObservables : [])
        variableObservables = variables.enumerated().map { ("cv_" + $1, $0) }
        storesBias = !variables.isEmpty
        var observables = columns.map { H5MDWriter.Observable($0.rawValue, unit: $0.unit) }
        observables += variableObservables.map { H5MDWriter.Observable($0.name, unit: nil) }
        if storesBias { observables.append(H5MDWriter.Observable("bias", unit: "eV")) }
        if byState { observables.append(H5MDWriter.Observable("replica", unit: nil)) }
        let numbers = Self.speciesValues(configuration.speciesTable).map(\.number)
        let species = configuration.species.map { numbers[Int($0)] }
        let fields = Set(plan.fields.compactMap { H5MDWriter.Field(rawValue: $0.rawValue) })
        writer = try H5MDWriter(path: path, author: ProcessInfo.processInfo.environment["USER"] ?? "crucible",
                                creatorVersion: CrucibleVersion.string, atomCount: configuration.count, species: species,
                                elements: configuration.species.map { configuration.speciesTable.symbols[Int($0)] },
                                pbc: configuration.cell.periodic, fields: fields,
                                observables: observables,
                                deckText: deckText,
                                varyingSpecies: speciesVary ? Self.speciesValues(configuration.speciesTable) : nil,
                                isotopes: Self.isotopeNumbers(configuration.speciesTable))
    }

    /// Continues the trajectory of an interrupted run: frames after `step` (written after its last
    /// checkpoint) are dropped, and a file left half-written by a crash is repaired.
    init(resuming plan: TrajectoryOutputPlan, path: String, afterStep step: Int, variables: [String] = []) throws {
        self.plan = plan
        writer = try H5MDWriter(appendingTo: path, truncateAfterStep: step)
        storesReplica = writer.observableNames.contains("replica")
        let stored = writer.observableNames
        columns = (Self.observables + Self.ringPolymerObservables).filter { stored.contains($0.rawValue) }
        variableObservables = variables.enumerated().map { ("cv_" + $1, $0) }.filter { stored.contains($0.name) }
        storesBias = stored.contains("bias")
    }

    func record(_ sample: ThermoSample, replica: Int, configuration: Configuration, forces: [Double]) throws {
        var observables: [String: Double] = [:]
        for column in columns { observables[column.rawValue] = sample.value(column) }
        if storesReplica { observables["replica"] = Double(replica) }
        for (name, index) in variableObservables where index < sample.variables.count { observables[name] = sample.variables[index] }
        if storesBias { observables["bias"] = sample.bias }
        var species: [Int32]?
        if writer.varyingSpecies != nil {
            let numbers = Self.speciesValues(configuration.speciesTable).map(\.number)
            species = configuration.species.map { numbers[Int($0)] }
        }
        try writer.append(step: sample.step, time: sample.time, cell: configuration.cell.matrix, positions: configuration.positions,
                          velocities: plan.fields.contains(.velocity) ? configuration.velocities : nil,
                          forces: plan.fields.contains(.force) ? forces : nil, observables: observables, species: species)
        // Every frame reaches the disk, so a killed run keeps all frames written so far.
        try writer.flush()
    }

    func close() throws { try writer.close() }

    /// (species value, label) of each species of the table, in table order. The value is the
    /// atomic number, plus 1000 × j for the j-th isotope label of an element (D is 1001), so that
    /// every species has its own value and name in the file.
    static func speciesValues(_ table: SpeciesTable) -> [(number: Int32, symbol: String)] {
        var isotopesSeen: [String: Int32] = [:]
        return zip(table.symbols, table.elements).map { label, element in
            let z = Int32(Element(symbol: element)?.atomicNumber ?? 0)
            guard label != element else { return (z, label) }
            isotopesSeen[element, default: 0] += 1
            return (z + 1000 * isotopesSeen[element]!, label)
        }
    }

    /// The atomic number of each isotope label of the table.
    static func isotopeNumbers(_ table: SpeciesTable) -> [String: Int32] {
        var numbers: [String: Int32] = [:]
        for (label, element) in zip(table.symbols, table.elements) where label != element {
            numbers[label] = Int32(Element(symbol: element)?.atomicNumber ?? 0)
        }
        return numbers
    }
}

public enum CrucibleVersion {
    public static let string = "0.1.0"
}
