/// The state of a minimisation after one evaluation: what an observer logs each step and what the
/// result reports at the end.
public struct MinimizationProgress: Equatable, Sendable {
    /// Steps taken so far (0 = the starting configuration).
    public var step: Int
    /// Potential energy, eV.
    public var energy: Double
    /// The minimised objective: E + P·V with cell relaxation, else E (eV).
    public var enthalpy: Double
    /// Largest force on any atom (norm of its 3-vector), eV/Å.
    public var maxForce: Double
    /// Stress in ASE's sign (−virial/V), eV/Å³, Voigt xx yy zz yz xz xy.
    public var stress: [Double]
    /// Largest residual of the relaxed stress components against the target, bar (0 without cell relaxation).
    public var stressResidual: Double
    /// Cell volume, Å³.
    public var volume: Double
}

public struct MinimizationResult: Equatable, Sendable {
    public enum StopReason: String, Sendable {
        /// Max force (and, with cell relaxation, stress residual) within tolerance.
        case forceTolerance
        /// The objective changed by less than the threshold in one step.
        case energyChange
        case maxSteps
    }

    public var reason: StopReason
    /// The last evaluation (the returned configuration's).
    public var final: MinimizationProgress

    /// True when a tolerance was met (force/stress or energy change), false when steps ran out.
    public var converged: Bool { reason != .maxSteps }
    public var steps: Int { final.step }
    public var energy: Double { final.energy }
    public var enthalpy: Double { final.enthalpy }
    public var maxForce: Double { final.maxForce }
    public var stress: [Double] { final.stress }
    public var stressResidual: Double { final.stressResidual }
}
