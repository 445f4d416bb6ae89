import Foundation

extension Simulation {
    /// The interface-pinning workflow of a `melt` deck (see `MeltWorkflow`).
    mutating func runMelt(_ melt: MeltPlan) throws -> RunSummary {
        try MeltWorkflow(deck: self, melt: melt).run()
    }
}

/// Melting point by interface pinning, in three stages of ordinary replica runs (one replica per
/// temperature, in parallel), each in its own folder below `melt.directory`:
///   1. `lattice`: NPT of the bulk crystal at each T: the cell at (T, p) and Q_s(T), the order
///      parameter of the all-solid system (a κ = 0 bias monitors Q);
///   2. `melt`: each crystal scaled to its mean cell, the lower half (fractional z < ½) held, the
///      upper half melted at `melt_temperature` (NVT);
///   3. `pinning`: Np_zT (x and y fixed at the crystal's cell, z on the barostat) with the bias
///      κ/2 (Q − a)², a = Q_l + f (Q_s − Q_l); after `equilibrate` steps, ⟨Q⟩ over `production`
///      steps gives Δμ(T) (`InterfacePinning`), and a line through Δμ(T) gives T_m ± σ.
/// A finished stage leaves a `done` file and its final structures; an interrupted one its
/// checkpoint. Running the deck again skips finished stages and continues the interrupted one from
/// its checkpoint (bitwise, as any restart), so a killed workflow resumes where it stopped.
struct MeltWorkflow {
    let deck: Simulation
    let melt: MeltPlan
    /// Wave vectors of the order parameter, in units of the cell's reciprocal vectors.
    let vectors: [[Int]]
    var directory: String { deck.options.outputDirectory ?? melt.directory }

    init(deck: Simulation, melt: MeltPlan) throws {
        self.deck = deck
        self.melt = melt
        vectors = try Self.waveVectors(deck.plan, melt)
    }

    /// The order parameter's wave vectors (cell units) of a melt deck, after the checks `crucible
    /// validate` runs too: a lattice system, wave vectors for it, no pinning term, replicas or Monte Carlo.
    static func waveVectors(_ plan: RunPlan, _ melt: MeltPlan) throws -> [[Int]] {
        guard case .lattice(let lattice) = plan.system.source else {
            throw InputError(file: plan.deckPath, key: "system",
                             "the melting workflow starts from a crystal: give system.lattice (the slab normal is its third axis, so make it the long one, e.g. repeat: [6, 6, 24])")
        }
        let miller: [[Int]]
        if let given = melt.miller {
            miller = given
        } else {
            switch lattice.kind {
            case .fcc: miller = [[2, 0, 0], [0, 2, 0]]
            case .bcc: miller = [[1, 1, 0], [1, -1, 0]]
            case .sc: miller = [[1, 0, 0], [0, 1, 0]]
            case .diamond: miller = [[2, 2, 0], [2, -2, 0]]
            case .hcp:
                throw InputError(file: plan.deckPath, key: "melt.miller",
                                 "no default wave vectors for hcp: give melt.miller, reciprocal-lattice vectors of the crystal in the interface plane")
            }
        }
        let repeats = [lattice.repeats.x, lattice.repeats.y, lattice.repeats.z]
        let vectors = miller.map { h in (0..<3).map { h[$0] * repeats[$0] } }
        if plan.potential.contains(where: { if case .pinning = $0 { return true } else { return false } }) {
            throw InputError(file: plan.deckPath, key: "potential",
                             "the melting workflow adds its own pinning bias; remove the pinning term from the potential")
        }
        if plan.replicas != nil || plan.monteCarlo != nil {
            throw InputError(file: plan.deckPath, key: plan.replicas != nil ? "replicas" : "monte_carlo",
                             "the melting workflow makes its own replicas (one per temperature) and runs no Monte Carlo; remove this block")
        }
        return vectors
    }

    // MARK: - The workflow

    func run() throws -> RunSummary {
        let start = Date()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try claimDirectory()
        let temperatures = melt.temperatures
        let atoms = deck.configuration.count
        var steps = 0

        // 1. The crystal at each (T, p); a non-cubic crystal relaxes each axis on its own.
        var cubic = true
        if case .lattice(let lattice) = deck.plan.system.source, lattice.kind == .hcp { cubic = false }
        let crystal = [Configuration](repeating: deck.configuration, count: temperatures.count)
        let latticeMD = MDPlan(steps: melt.steps.lattice, timestep: melt.timestep,
                               thermostat: .langevin(temperature: temperatures[0], damping: melt.damping),
                               barostat: BarostatPlan(pressure: melt.pressure, tau: melt.barostatTau, compressibility: melt.compressibility,
                                                      coupling: cubic ? .isotropic : .anisotropic(axes: [.x, .y, .z])))
        let bulk = try runStage("lattice", number: 1, md: latticeMD, temperatures: temperatures, bias: bias(kappa: 0, center: 0),
                                starts: crystal, columns: [.step, .temperature, .pressure, .volume, .lx, .ly, .lz, .cv])
        steps += bulk.steps
        let latticeSamples = try temperatures.indices.map { try samples("lattice", replica: $0) }
        let cells = try latticeSamples.map { table -> [Double] in
            let second = table.rows.suffix(max(1, table.rows.count / 2))
            return try ["lx", "ly", "lz"].map { name in
                let c = try table.column(name)
                return second.map { $0[c] }.reduce(0, +) / Double(second.count)
            }
        }
        let solidQ = try latticeSamples.map { table -> Double in
            let second = table.rows.suffix(max(1, table.rows.count / 2))
            let c = try table.column("cv_fourier")
            return second.map { $0[c] }.reduce(0, +) / Double(second.count)
        }

        let liquidQ = InterfacePinning.liquidOrder(atoms: atoms)
        if let weakest = solidQ.min(), weakest < max(0.2, 5 * liquidQ) {
            throw InputError(file: deck.plan.deckPath, key: "melt.miller",
                             String(format: "the order parameter hardly tells the crystal from a liquid: Q_s = %.3f at the lattice stage (a liquid gives about %.3f); use reflections of the crystal with a strong structure factor (fcc (200), bcc (110)) or check that the crystal did not melt in stage 1", weakest, liquidQ))
        }

        // 2. Half of each slab melted, the other half held.
        let scaled = zip(bulk.finals, cells).map { Self.scaled($0, toLengths: $1) }
        let hold = Self.heldLowerHalf(scaled)
        let meltTemperature = melt.meltTemperature ?? 2 * (temperatures.max() ?? 0)
        let meltMD = MDPlan(steps: melt.steps.melt, timestep: melt.timestep,
                            thermostat: .langevin(temperature: meltTemperature, damping: melt.damping), barostat: nil)
        let melted = try runStage("melt", number: 2, md: meltMD, temperatures: temperatures.map { _ in meltTemperature },
                                  bias: bias(kappa: 0, center: 0), starts: scaled, hold: hold,
                                  columns: [.step, .temperature, .pressure, .volume, .cv])
        steps += melted.steps

        // 3. Pinned coexistence, Np_zT.
        // Each temperature pins the same solid fraction f: its own centre a(T) = Q_l + f (Q_s(T) − Q_l),
        // a Hamiltonian parameter of its replica's state. (With one centre for all, the slab's
        // interfaces would sit at different places within a lattice plane at each temperature.)
        let centers = solidQ.map { liquidQ + melt.solidFraction * ($0 - liquidQ) }
        let pinMD = MDPlan(steps: melt.steps.equilibrate + melt.steps.production, timestep: melt.timestep,
                           thermostat: .langevin(temperature: temperatures[0], damping: melt.damping),
                           barostat: BarostatPlan(pressure: melt.pressure, tau: melt.barostatTau, compressibility: melt.compressibility,
                                                  coupling: .anisotropic(axes: [.z])))
        let pinned = try runStage("pinning", number: 3, md: pinMD, temperatures: temperatures,
                                  bias: bias(kappa: melt.kappa, center: centers.reduce(0, +) / Double(centers.count)),
                                  parameters: centers.map { ["fourier.center": $0] },
                                  starts: melted.finals, columns: [.step, .temperature, .pressure, .pzz, .lz, .volume, .cv, .bias])
        steps += pinned.steps

        // Δμ(T) and T_m. A pinning stage cut short (--max-steps) keeps the share of equilibration steps.
        let pinSteps = Double(melt.steps.equilibrate + melt.steps.production)
        let reached = try samples("pinning", replica: 0).rows.last?[0] ?? 0
        let equilibrate = Double(melt.steps.equilibrate) * min(1, reached / pinSteps)
        var points: [MeltReport.Point] = []
        for (k, temperature) in temperatures.enumerated() {
            let table = try samples("pinning", replica: k)
            let column = try table.column("cv_fourier")
            let production = table.rows.filter { $0[0] > equilibrate }.map { $0[column] }
            // Fewer samples than blocks (a run cut short) give no error bar: the point is left out of the fit.
            var average = BlockAverage.of(production, blocks: melt.blocks)
            if production.count < melt.blocks { average.error = .nan }
            let mu = InterfacePinning.chemicalPotentialDifference(kappa: melt.kappa, meanQ: average.mean, errorQ: average.error, center: centers[k],
                                                                 solidQ: solidQ[k], liquidQ: liquidQ, atoms: atoms)
            let fractions = BlockAverage.blockMeans(production, blocks: melt.blocks).map { ($0 - liquidQ) / (solidQ[k] - liquidQ) }
            points.append(MeltReport.Point(temperature: temperature, cell: cells[k], solidQ: solidQ[k], center: centers[k], meanQ: average.mean, errorQ: average.error,
                                           deltaMu: mu.value, deltaMuError: mu.error, samples: production.count,
                                           solidFraction: (fractions.min() ?? .nan, fractions.max() ?? .nan)))
        }
        let report = MeltReport(points: points, kappa: melt.kappa, solidFraction: melt.solidFraction, liquidQ: liquidQ, atoms: atoms,
                                production: melt.steps.production, timestep: melt.timestep, vectors: vectors)
        try report.write(to: directory)
        var summary = RunSummary(steps: steps, atoms: atoms * temperatures.count, loopSeconds: Date().timeIntervalSince(start),
                                 neighborSeconds: 0, neighborBuilds: 0, finalResult: PotentialResult())
        summary.notes = report.lines + ["melt: table \(directory)/delta_mu.csv, plot \(directory)/delta_mu.svg"]
        return summary
    }

    /// The pinning term the workflow adds to the deck's potential.
    func bias(kappa: Double, center: Double) -> PinningPlan {
        PinningPlan(variable: CollectiveVariablePlan(kind: .fourier(vectors: vectors), name: "fourier", species: nil), kappa: kappa, center: center)
    }

    /// The folder keeps the deck it was made for: a different deck (other physics) must not resume
    /// another's stages. Output-only keys do not matter here, but any change of the deck text does.
    private func claimDirectory() throws {
        let path = directory + "/deck.yaml"
        if let old = try? String(contentsOfFile: path, encoding: .utf8) {
            guard old == deck.plan.deckText else {
                throw InputError(file: deck.plan.deckPath, key: "melt.directory",
                                 "\(directory) holds the stages of a different deck (its deck.yaml differs); remove the folder or set melt.directory to a new one")
            }
        } else {
            try TextFile.writeAtomically(deck.plan.deckText, to: path)
        }
    }

    // MARK: - Stages

    static let stages = ["lattice", "melt", "pinning"]

    struct StageResult {
        var finals: [Configuration]
        var steps: Int
    }

    func stageDirectory(_ name: String) -> String { directory + "/" + name }

    /// One stage: a replica run of the deck's system and potential plus `bias`, one replica per
    /// temperature, starting from `starts`; skipped when done, continued from its checkpoint when interrupted.
    func runStage(_ name: String, number: UInt64, md: MDPlan, temperatures: [Double], bias: PinningPlan,
                  parameters: [[String: Double]]? = nil, starts: [Configuration],
                  hold: HoldAtomsOperation? = nil, columns: [ThermoOutputPlan.Column]) throws -> StageResult {
        let folder = stageDirectory(name)
        let donePath = folder + "/done"
        var plan = deck.plan
        plan.run = .md(md)
        plan.potential = deck.plan.potential + [.pinning(bias)]
        plan.replicas = ReplicasPlan(members: temperatures.enumerated().map {
            ReplicasPlan.Member(index: $0, temperature: $1, parameters: parameters?[$0] ?? [:])
        })
        // Each stage draws its own velocities and dynamics noise.
        plan.seed = deck.plan.seed &+ number
        plan.system.velocities = VelocityPlan(temperature: temperatures[0], seed: plan.seed)
        plan.output = OutputPlan(thermo: ThermoOutputPlan(every: melt.sampleEvery, path: folder + "/thermo.csv", columns: columns),
                                 trajectory: TrajectoryOutputPlan(path: folder + "/trajectory.h5md", every: max(1, md.steps / 20), fields: [.position]),
                                 finalStructurePath: folder + "/final.extxyz",
                                 checkpoint: CheckpointPlan(path: folder + "/checkpoint.h5", every: max(1, min(1000, md.steps / 10))))
        let done = FileManager.default.fileExists(atPath: donePath)
        var options = deck.options
        options.outputDirectory = nil
        options.restart = !done && FileManager.default.fileExists(atPath: folder + "/checkpoint.h5")
        var simulation = try Simulation(plan: plan, options: options)
        let table = simulation.configuration.speciesTable
        if done {
            let finals = try temperatures.indices.map { k in
                Self.adopt(try SystemBuilder.load(StructureFilePlan(path: folder + "/final.r\(k).extxyz", frame: -1)), to: table)
            }
            return StageResult(finals: finals, steps: 0)
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        simulation.startingConfigurations = starts.map { Self.adopt($0, to: table) }
        if let hold { simulation.extraOperations = [hold] }
        if !deck.options.quiet {
            print("melt: stage \(number) (\(name)), \(md.steps) steps at \(temperatures.map { String(format: "%g", $0) }.joined(separator: ", ")) K"
                  + (simulation.options.restart ? ", continuing from its checkpoint" : ""))
        }
        let summary = try simulation.run()
        // A stage cut short by --max-steps is not done: a later run continues it from its checkpoint.
        if (deck.options.maxSteps ?? md.steps) >= md.steps {
            try TextFile.writeAtomically("stage \(name) finished at step \(md.steps)\n", to: donePath)
        }
        // The later stages start from this one's structures: results they kept from an earlier run are stale.
        for later in Self.stages.drop(while: { $0 != name }).dropFirst() {
            try? FileManager.default.removeItem(atPath: stageDirectory(later))
        }
        return StageResult(finals: simulation.finalConfigurations, steps: summary.steps)
    }

    /// A stage's thermo samples of replica `replica`.
    func samples(_ stage: String, replica: Int) throws -> ThermoTable {
        try ThermoTable(path: stageDirectory(stage) + "/thermo.r\(replica).csv")
    }

    // MARK: - Configurations

    /// `configuration` with its species renumbered into `table` (the stage's potential is bound to it).
    static func adopt(_ configuration: Configuration, to table: SpeciesTable) -> Configuration {
        let map = configuration.speciesTable.symbols.map { Int32(table.index(of: $0) ?? 0) }
        return Configuration(cell: configuration.cell, positions: configuration.positions, species: configuration.species.map { map[Int($0)] },
                             speciesTable: table, velocities: configuration.velocities)
    }

    /// The configuration with each cell edge scaled to the given length, atoms moved with the cell
    /// (same fractional coordinates), wrapped into it.
    static func scaled(_ configuration: Configuration, toLengths lengths: [Double]) -> Configuration {
        var c = configuration
        let inverse = c.cell.inverse
        let old = c.cell.lengths
        var matrix = c.cell.matrix
        for r in 0..<3 { for k in 0..<3 { matrix[3 * r + k] *= lengths[r] / old[r] } }
        for i in 0..<c.count {
            let x = Array(c.positions[(3 * i)..<(3 * i + 3)])
            let s = (0..<3).map { k in (0..<3).reduce(0.0) { $0 + x[$1] * inverse[3 * $1 + k] } }
            for k in 0..<3 { c.positions[3 * i + k] = (0..<3).reduce(0.0) { $0 + s[$1] * matrix[3 * $1 + k] } }
        }
        c.cell = Cell(matrix: matrix, periodic: c.cell.periodic)
        c.wrap()
        return c
    }

    /// Holds the atoms of the lower half of each slab (fractional z < ½) where they are.
    static func heldLowerHalf(_ configurations: [Configuration]) -> HoldAtomsOperation {
        var atoms: [Int: [Int]] = [:], positions: [Int: [Double]] = [:]
        for (k, c) in configurations.enumerated() {
            let inverse = c.cell.inverse
            let held = (0..<c.count).filter { i in
                let z = (0..<3).reduce(0.0) { $0 + c.positions[3 * i + $1] * inverse[3 * $1 + 2] }
                return z - z.rounded(.down) < 0.5
            }
            atoms[k] = held
            positions[k] = held.flatMap { c.positions[(3 * $0)..<(3 * $0 + 3)] }
        }
        return HoldAtomsOperation(atoms: atoms, positions: positions)
    }
}

/// A thermo CSV read back: the column names (units dropped) and the rows.
struct ThermoTable {
    var path: String
    var names: [String]
    var rows: [[Double]]

    init(path: String) throws {
        self.path = path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw InputError(file: path, "cannot read the stage's thermo file")
        }
        let lines = text.split(separator: "\n").map(String.init)
        guard let header = lines.first else { throw InputError(file: path, "the stage's thermo file is empty") }
        let names = header.split(separator: ",").map { String($0.split(separator: " ").first ?? "") }
        self.names = names
        rows = lines.dropFirst().map { $0.split(separator: ",").map { Double($0) ?? .nan } }.filter { $0.count == names.count }
    }

    /// The index of the column named `name` (units dropped).
    func column(_ name: String) throws -> Int {
        guard let k = names.firstIndex(of: name) else {
            throw InputError(file: path, "the thermo file has no column '\(name)' (columns: \(names.joined(separator: ", ")))")
        }
        return k
    }
}
