import CrucibleCore

/// One labelled structure: its configuration and reference energy (eV), forces (eV/Å, flat 3N)
/// and stress (ASE's convention σ = (1/V) ∂E/∂ε, eV/Å³, Voigt xx yy zz yz xz xy).
public struct TrainingFrame: Sendable {
    public var configuration: Configuration
    public var energy: Double
    public var forces: [Double]?
    public var stress: [Double]?

    public init(configuration: Configuration, energy: Double, forces: [Double]?, stress: [Double]? = nil) {
        self.configuration = configuration
        self.energy = energy
        self.forces = forces
        self.stress = stress
    }

    /// Voigt (xx yy zz yz xz xy) from ASE's 9 (row-major 3 × 3) or 6 (Voigt) stress values; nil otherwise.
    public static func voigt(_ values: [Double]) -> [Double]? {
        switch values.count {
        case 9: return [values[0], values[4], values[8], 0.5 * (values[5] + values[7]), 0.5 * (values[2] + values[6]), 0.5 * (values[1] + values[3])]
        case 6: return values
        default: return nil
        }
    }
}

/// Errors of a model on a set of frames: energy per atom (eV/atom), force components (eV/Å) and
/// stress components (eV/Å³, frames with a stress label).
public struct FitErrors: Sendable, CustomStringConvertible {
    public var frames = 0
    public var energyMAE = 0.0, energyRMSE = 0.0
    public var forceMAE = 0.0, forceRMSE = 0.0
    public var forceComponents = 0
    public var stressMAE = 0.0, stressRMSE = 0.0
    public var stressComponents = 0
    /// (reference, model) energy per atom of every frame, and of force components (at most about
    /// 4,000, evenly spaced), for parity plots.
    public var energyPairs: [(reference: Double, model: Double)] = []
    public var forcePairs: [(reference: Double, model: Double)] = []

    public init() {}

    /// Errors of `model` on `frames` (an in-process evaluation, as MD would run it).
    public init(model: MLModel, frames: [TrainingFrame], workers: Workers) throws {
        try self.init(frames: frames, workers: workers) { try MLPotential(model: model, speciesTable: $0, name: "fit") }
    }

    /// Errors of any potential (built per frame's species by `potential`) on `frames`.
    public init(frames: [TrainingFrame], workers: Workers, potential: (SpeciesTable) throws -> any Potential) throws {
        var eAbs = 0.0, eSq = 0.0, fAbs = 0.0, fSq = 0.0, sAbs = 0.0, sSq = 0.0
        let totalComponents = frames.reduce(0) { $0 + ($1.forces?.count ?? 0) }
        let stride = max(1, (totalComponents + 3999) / 4000)
        var component = 0
        for frame in frames {
            var c = frame.configuration
            var evaluator = Evaluator(potential: try potential(c.speciesTable), skin: 0, threads: workers.threads)
            let result = evaluator.evaluate(&c, request: frame.stress == nil ? [.energy, .forces] : [.energy, .forces, .virial])
            let de = (result.energy - frame.energy) / Double(c.count)
            eAbs += abs(de); eSq += de * de
            energyPairs.append((frame.energy / Double(c.count), result.energy / Double(c.count)))
            if let reference = frame.forces {
                // The evaluator may have wrapped atoms but keeps their order.
                for k in 0..<reference.count {
                    let d = result.forces[k] - reference[k]
                    fAbs += abs(d); fSq += d * d
                    if component % stride == 0 { forcePairs.append((reference[k], result.forces[k])) }
                    component += 1
                }
                forceComponents += reference.count
            }
            if let reference = frame.stress {
                // σ = −W/V (ASE's sign: the virial W = Σ x ⊗ f is positive under compression).
                let volume = c.cell.volume
                for k in 0..<6 {
                    let d = -result.virial[k] / volume - reference[k]
                    sAbs += abs(d); sSq += d * d
                }
                stressComponents += 6
            }
        }
        self.frames = frames.count
        if frames.count > 0 { energyMAE = eAbs / Double(frames.count); energyRMSE = (eSq / Double(frames.count)).squareRoot() }
        if stressComponents > 0 { stressMAE = sAbs / Double(stressComponents); stressRMSE = (sSq / Double(stressComponents)).squareRoot() }
        if forceComponents > 0 { forceMAE = fAbs / Double(forceComponents); forceRMSE = (fSq / Double(forceComponents)).squareRoot() }
    }

    public var description: String {
        func meV(_ x: Double) -> String { String(format: "%.2f", 1000 * x) }
        return "\(frames) frames: energy MAE \(meV(energyMAE)) RMSE \(meV(energyRMSE)) meV/atom; "
            + "forces MAE \(meV(forceMAE)) RMSE \(meV(forceRMSE)) meV/Å"
            + (stressComponents > 0 ? "; stress MAE \(meV(stressMAE)) RMSE \(meV(stressRMSE)) meV/Å³" : "")
    }
}

import Foundation
