import Foundation

/// `crucible eval`: energies, forces, per-atom energies and stress for every frame of an extended-XYZ
/// file with the deck's potential (LAMMPS `rerun`, an ASE calculator over a trajectory). Frames may
/// differ in size, cell and composition. Reference energies/forces/stresses already in a frame are
/// kept under `reference_*` keys and compared.
public struct Evaluation {
    /// The potential's terms and the file they come from (a deck, or a model file).
    public let terms: [PotentialTermPlan]
    public let source: String
    public let threads: Int

    public init(plan: RunPlan, threads: Int? = nil) {
        terms = plan.potential
        source = plan.deckPath
        self.threads = threads ?? plan.threads
    }

    /// A potential without a deck: `crucible eval --model FILE` (the `ml` plugin term).
    public init(modelPath: String, threads: Int = 1) {
        let absolute = URL(fileURLWithPath: modelPath).standardizedFileURL.path
        terms = [.plugin(PluginTermPlan(keyword: "ml", files: ["model": absolute]))]
        source = absolute
        self.threads = threads
    }

    public struct Errors {
        public var frames = 0
        public var energyPerAtom = ErrorStatistics()   // eV/atom
        public var forces = ErrorStatistics()          // eV/Å, per component
        public var stress = ErrorStatistics()          // eV/Å³, per Voigt component

        public var report: String {
            var lines = ["evaluated \(frames) frame(s)"]
            if energyPerAtom.count > 0 { lines.append("energy/atom: MAE \(energyPerAtom.mae) eV, RMSE \(energyPerAtom.rmse) eV (\(energyPerAtom.count) frames)") }
            if forces.count > 0 { lines.append("forces: MAE \(forces.mae) eV/Å, RMSE \(forces.rmse) eV/Å (\(forces.count) components)") }
            if stress.count > 0 { lines.append("stress: MAE \(stress.mae) eV/Å³, RMSE \(stress.rmse) eV/Å³ (\(stress.count) components)") }
            return lines.joined(separator: "\n")
        }
    }

    /// Evaluates every frame of `input` and writes the results to `output`.
    public func run(input: String, output: String) throws -> Errors {
        let frames = try readExtXYZ(path: input)
        var errors = Errors()
        var results: [XYZFrame] = []
        var potentials: [[String]: any Potential] = [:]
        for (index, frame) in frames.enumerated() {
            let frameName = "\(input) (frame \(index))"
            var configuration = try Configuration(frame: frame, file: frameName)
            let symbols = configuration.speciesTable.symbols
            let potential = try potentials[symbols] ?? PotentialBuilder.potential(terms, speciesTable: configuration.speciesTable, deckPath: source)
            potentials[symbols] = potential
            try Simulation.checkCell(configuration.cell, file: frameName, key: "Lattice")
            try Simulation.checkImageCount(configuration: configuration, cutoff: potential.cutoff, file: frameName, key: "Lattice")
            var evaluator = Evaluator(potential: potential, skin: 0, threads: threads)
            let result = evaluator.evaluate(&configuration)
            var out = frame
            let n = Double(configuration.count)
            if let reference = frame.info["energy"]?.double {
                out.info["reference_energy"] = .double(reference)
                errors.energyPerAtom.add((result.energy - reference) / n)
            }
            if case .doubles(let reference, 3)? = frame.arrays["forces"] {
                out.arrays["reference_forces"] = .doubles(reference, columns: 3)
                for k in reference.indices { errors.forces.add(result.forces[k] - reference[k]) }
            }
            if case .doubles(let reference, 1)? = frame.arrays["energies"] {
                out.arrays["reference_energies"] = .doubles(reference, columns: 1)
            }
            let stress = result.stress(volume: configuration.cell.volume)
            // ASE's `stress` (3×3 or Voigt), or a Voigt `stress_voigt_ase` as in LAMMPS-made references.
            let referenceStress = frame.info["stress"]?.doubles ?? frame.info["stress_voigt_ase"]?.doubles
            if let reference = referenceStress, configuration.cell.periodic.allSatisfy({ $0 }) {
                out.info["reference_stress"] = .doubleArray(reference)
                let voigt = reference.count == 9 ? [reference[0], reference[4], reference[8], reference[5], reference[2], reference[1]] : reference
                if voigt.count == 6 { for k in 0..<6 { errors.stress.add(stress[k] - voigt[k]) } }
            }
            out.info["energy"] = .double(result.energy)
            out.arrays["forces"] = .doubles(result.forces, columns: 3)
            out.arrays["energies"] = .doubles(result.perAtomEnergies, columns: 1)
            if configuration.cell.periodic.allSatisfy({ $0 }) {
                out.info["stress"] = .doubleArray([stress[0], stress[5], stress[4], stress[5], stress[1], stress[3], stress[4], stress[3], stress[2]])
            } else {
                out.info["stress"] = nil
            }
            results.append(out)
            errors.frames += 1
        }
        try TextFile.writeAtomically(try formatExtXYZ(results), to: output)
        return errors
    }
}

/// Running mean absolute and root-mean-square error.
public struct ErrorStatistics {
    public private(set) var count = 0
    private var absoluteSum = 0.0
    private var squareSum = 0.0

    public init() {}

    public mutating func add(_ error: Double) {
        count += 1
        absoluteSum += abs(error)
        squareSum += error * error
    }

    public var mae: Double { count > 0 ? absoluteSum / Double(count) : 0 }
    public var rmse: Double { count > 0 ? (squareSum / Double(count)).squareRoot() : 0 }
}
