import Foundation

/// A run built from a deck: the plan (description) and what executes it. `run` dispatches on the
/// run kind; each kind lives in its own file.
public struct Simulation {
    public let plan: RunPlan
    public let options: RunOptions
    /// The starting configuration; after a run, the final one of the first replica.
    public var configuration: Configuration
    /// After an MD run: the final configuration of every replica, in replica order.
    public var finalConfigurations: [Configuration] = []
    public let potential: any Potential
    public var threads: Int { options.threads ?? plan.threads }
    /// Workflows (melt): each replica's own starting configuration, in replica order, instead of the
    /// deck's; same species table as `configuration`.
    var startingConfigurations: [Configuration]?
    /// Workflows (melt): replica-local operations performed after each integration step.
    var extraOperations: [any Operation] = []

    public init(plan: RunPlan, options: RunOptions = RunOptions()) throws {
        self.plan = plan
        self.options = options
        configuration = try SystemBuilder.configuration(plan.system, deckPath: plan.deckPath)
        // Elements a semi-grand move may create join the species table before the potential is bound to it.
        for symbol in plan.monteCarlo?.semiGrand?.chemicalPotentials.map(\.symbol) ?? [] {
            _ = configuration.speciesTable.add(symbol)
        }
        let built = try PotentialBuilder.build(plan.potential, speciesTable: configuration.speciesTable, deckPath: plan.deckPath)
        potential = built.potential
        // Masses: the potential files' (as LAMMPS takes them from EAM files), unless the deck sets them.
        // Velocities drawn before this were drawn with the standard masses: draw them again.
        var massesChanged = false
        for (symbol, mass) in built.masses where plan.system.masses[symbol] == nil && configuration.speciesTable.index(of: symbol) != nil {
            massesChanged = massesChanged || configuration.speciesTable.masses[configuration.speciesTable.index(of: symbol)!] != mass
            configuration.speciesTable.setMass(mass, for: symbol)
        }
        if massesChanged, let velocities = plan.system.velocities {
            var random = RandomStream(seed: velocities.seed, key: StreamKey(.velocities))
            configuration.assignMaxwellBoltzmannVelocities(temperature: velocities.temperature, random: &random)
        }
        for warning in built.warnings { printError("warning: " + warning) }
        switch plan.system.source {
        case .lattice: try Self.checkCell(configuration.cell, file: plan.deckPath, key: "system.lattice.a")
        case .structure(let file): try Self.checkCell(configuration.cell, file: file.path, key: "Lattice")
        }
        try Self.checkImageCount(configuration: configuration, cutoff: potential.cutoff + plan.neighbor.skin, file: plan.deckPath, key: "potential")
        if case .melt(let melt) = plan.run { _ = try MeltWorkflow.waveVectors(plan, melt) }
        if let directory = options.outputDirectory {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
    }

    /// A cell whose volume or inverse is not a finite, non-zero double (edges beyond about 1e102 Å, or a
    /// volume that underflows) cannot be wrapped into or binned in fractional coordinates: refuse it
    /// with a clear error. Every other finite cell runs (the neighbour bins are capped in number).
    static func checkCell(_ cell: Cell, file: String, key: String) throws {
        let volume = cell.volume
        let widths = cell.perpendicularWidths
        guard volume.isFinite, volume > 0, cell.inverse.allSatisfy(\.isFinite), widths.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            let largest = cell.matrix.map(abs).max() ?? 0
            throw InputError(file: file, key: key,
                             "the cell (largest edge component \(String(format: "%.3g", largest)) Å, volume \(String(format: "%.3g", volume)) Å³) is outside double precision: its volume, its inverse or its face distances are not finite, non-zero numbers; use a cell with edges well below 1e100 Å and a volume well above 1e-300 Å³")
        }
    }

    /// A cutoff far larger than the cell needs more periodic images than memory holds (the neighbour
    /// list indexes atoms with Int32): refuse it with a clear error instead of running out of memory.
    static func checkImageCount(configuration: Configuration, cutoff: Double, file: String, key: String) throws {
        let widths = configuration.cell.perpendicularWidths
        var images = 1.0
        for k in 0..<3 where configuration.cell.periodic[k] {
            images *= 2 * (cutoff / widths[k]).rounded(.up) + 3
        }
        let ghosts = images * Double(max(1, configuration.count))
        guard ghosts.isFinite, ghosts < 2.0e8 else {
            throw InputError(file: file, key: key,
                             "the cutoff plus skin (\(cutoff) Å) is far larger than the cell (widths \(widths.map { String(format: "%.3g", $0) }.joined(separator: ", ")) Å): it would need about \(String(format: "%.3g", ghosts)) periodic images; use a larger cell or a smaller cutoff")
        }
    }

    public func makeEvaluator(threads: Int? = nil) -> Evaluator {
        var evaluator = Evaluator(potential: potential, skin: plan.neighbor.skin, threads: threads ?? self.threads)
        evaluator.neighbors.rebuildEvery = plan.neighbor.every
        evaluator.neighbors.checkDisplacement = plan.neighbor.check
        return evaluator
    }

    /// Runs the deck and returns what it measured.
    @discardableResult
    public mutating func run() throws -> RunSummary {
        let summary: RunSummary
        switch plan.run {
        case .md(let md): summary = try runMD(md)
        case .minimize(let minimize): summary = try runMinimization(minimize)
        case .singlePoint: summary = try runSinglePoint()
        case .melt(let melt): summary = try runMelt(melt)
        }
        return summary
    }
}

/// What a run measured, for the closing lines and for benchmarks.
public struct RunSummary {
    public var steps: Int
    public var atoms: Int
    public var loopSeconds: Double
    public var neighborSeconds: Double
    public var neighborBuilds: Int
    public var finalResult: PotentialResult
    /// End-of-run lines of the schedule's operations (acceptance ratios, averages).
    public var notes: [String] = []
    /// Wall time of the force evaluations within the loop (per lane of parallel evaluations), s.
    public var evaluationSeconds = 0.0

    public var atomStepsPerSecond: Double { loopSeconds > 0 ? Double(steps * atoms) / loopSeconds : 0 }

    public var report: String {
        String(format: "Loop time: %.6f s for %d steps with %d atoms (%.4g atom-steps/s); neighbour lists: %d builds, %.1f%% of the loop; force evaluations: %.1f%% of the loop",
               loopSeconds, steps, atoms, atomStepsPerSecond, neighborBuilds, loopSeconds > 0 ? 100 * neighborSeconds / loopSeconds : 0,
               loopSeconds > 0 ? 100 * evaluationSeconds / loopSeconds : 0)
    }
}
