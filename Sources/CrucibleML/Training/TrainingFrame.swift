import CrucibleCore

/// One labelled structure: its configuration and reference energy (eV) and forces (eV/Å, flat 3N).
public struct TrainingFrame: Sendable {
    public var configuration: Configuration
    public var energy: Double
    public var forces: [Double]?

    public init(configuration: Configuration, energy: Double, forces: [Double]?) {
        self.configuration = configuration
        self.energy = energy
        self.forces = forces
    }
}

/// Errors of a model on a set of frames: energy per atom (eV/atom) and force components (eV/Å).
public struct FitErrors: Sendable, CustomStringConvertible {
    public var frames = 0
    public var energyMAE = 0.0, energyRMSE = 0.0
    public var forceMAE = 0.0, forceRMSE = 0.0
    public var forceComponents = 0

    public init() {}

    /// Errors of `model` on `frames` (an in-process evaluation, as MD would run it).
    public init(model: LinearModel, frames: [TrainingFrame], workers: Workers) throws {
        var eAbs = 0.0, eSq = 0.0, fAbs = 0.0, fSq = 0.0
        for frame in frames {
            var c = frame.configuration
            let potential = try MLPotential(model: model, speciesTable: c.speciesTable, name: "fit")
            var evaluator = Evaluator(potential: potential, skin: 0, threads: workers.threads)
            let result = evaluator.evaluate(&c, request: [.energy, .forces])
            let de = (result.energy - frame.energy) / Double(c.count)
            eAbs += abs(de); eSq += de * de
            if let reference = frame.forces {
                // The evaluator may have wrapped atoms but keeps their order.
                for k in 0..<reference.count {
                    let d = result.forces[k] - reference[k]
                    fAbs += abs(d); fSq += d * d
                }
                forceComponents += reference.count
            }
        }
        self.frames = frames.count
        if frames.count > 0 { energyMAE = eAbs / Double(frames.count); energyRMSE = (eSq / Double(frames.count)).squareRoot() }
        if forceComponents > 0 { forceMAE = fAbs / Double(forceComponents); forceRMSE = (fSq / Double(forceComponents)).squareRoot() }
    }

    public var description: String {
        func meV(_ x: Double) -> String { String(format: "%.2f", 1000 * x) }
        return "\(frames) frames: energy MAE \(meV(energyMAE)) RMSE \(meV(energyRMSE)) meV/atom; "
            + "forces MAE \(meV(forceMAE)) RMSE \(meV(forceRMSE)) meV/Å"
    }
}

import Foundation
