/// A harmonic bias on a collective variable, U = κ/2 (Q − a)², added to any potential (interface
/// pinning: Pedersen, J. Chem. Phys. 139, 104102 (2013)). κ = 0 only monitors the variable.
///
/// A global term: it reports its energy (`bias.<name>`) and the variable (`cv.<name>`) as named
/// extras, adds no per-atom energies, and does not conform to `LocalEnergy`, so Monte Carlo on a
/// biased potential falls back to full evaluations instead of a wrong local ΔE.
public struct PinningBias: Potential {
    public var variable: any CollectiveVariable
    /// eV per (CV unit)²; a replica's state may set it as `<cv name>.kappa`.
    public private(set) var kappa: Double
    /// The centre a of the bias, in CV units; a replica's state may set it as `<cv name>.center`.
    public private(set) var center: Double

    public init(variable: any CollectiveVariable, kappa: Double, center: Double) {
        precondition(kappa >= 0)
        self.variable = variable
        self.kappa = kappa
        self.center = center
    }

    public var name: String { "pinning \(variable.name) (κ \(kappa), a \(center))" }
    public var cutoff: Double { variable.cutoff }
    public var energyName: String { "bias." + variable.name }
    public var variableName: String { "cv." + variable.name }

    /// Per-replica κ and a (the melting workflow gives each temperature its own centre).
    public mutating func setParameters(_ parameters: [String: Double]) {
        if let value = parameters[variable.name + ".kappa"], value >= 0 { kappa = value }
        if let value = parameters[variable.name + ".center"] { center = value }
    }

    public var parameterNames: [String] { [variable.name + ".kappa", variable.name + ".center"] }

    /// From the CV value the evaluation reported: κ'/2 (Q − a')² − κ/2 (Q − a)².
    public func energyChange(under parameters: [String: Double], given result: PotentialResult) -> Double {
        guard let value = result.extra(variableName) else { return 0 }
        let newKappa = parameters[variable.name + ".kappa"] ?? kappa, newCenter = parameters[variable.name + ".center"] ?? center
        return 0.5 * newKappa * (value - newCenter) * (value - newCenter) - 0.5 * kappa * (value - center) * (value - center)
    }

    public mutating func evaluate(_ configuration: Configuration, neighbors: NeighborList, request: PotentialRequest,
                                  workers: Workers, into result: inout PotentialResult) {
        let value = variable.evaluate(configuration, neighbors: neighbors)
        let offset = value - center
        let energy = 0.5 * kappa * offset * offset
        result.energy += energy
        result.addExtra(energyName, energy)
        result.addExtra(variableName, value)
        if kappa > 0, request.contains(.forces) || request.contains(.virial) {
            variable.addGradient(weight: -kappa * offset, forces: &result.forces, virial: &result.virial)
        }
    }
}
