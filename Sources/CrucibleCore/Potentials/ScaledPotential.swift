/// A term of a sum multiplied by a Hamiltonian parameter λ: U = λ U_term. States of a replica run may
/// give λ different values (Hamiltonian replica exchange, λ ladders for thermodynamic integration).
///
/// Each evaluation reports ∂U/∂λ = U_term as the collective variable `du_d<parameter>` (extra
/// `cv.du_d<parameter>`), which is also what lets an exchange know this term's energy under
/// another λ without a new evaluation. Local when the term is (local energies and species-change
/// energies are λ times the term's).
public struct ScaledPotential: Potential {
    public private(set) var term: any Potential
    /// The parameter's name in a state's `parameters`.
    public let parameter: String
    public private(set) var factor: Double
    /// The term's own contributions, before scaling; reused from step to step.
    private var scratch = PotentialResult()

    public init(_ term: any Potential, parameter: String, factor: Double) {
        self.term = term
        self.parameter = parameter
        self.factor = factor
    }

    public var name: String { "\(factor) × (\(term.name))" }
    public var cutoff: Double { term.cutoff }
    /// The name of the extra holding U_term.
    public var derivativeName: String { "cv.du_d" + parameter }

    public mutating func setParameters(_ parameters: [String: Double]) {
        if let value = parameters[parameter] { factor = value }
        term.setParameters(parameters)
    }

    public var parameterNames: [String] { [parameter] + term.parameterNames }

    /// (λ' − λ) U_term from the reported U_term.
    public func energyChange(under parameters: [String: Double], given result: PotentialResult) -> Double {
        let own = parameters[parameter].map { ($0 - factor) * (result.extra(derivativeName) ?? 0) } ?? 0
        return own + term.energyChange(under: parameters, given: result)
    }

    public mutating func evaluate(_ configuration: Configuration, neighbors: NeighborList, request: PotentialRequest,
                                  workers: Workers, into result: inout PotentialResult) {
        scratch.reset(atomCount: configuration.count, perAtomEnergies: request.contains(.perAtomEnergies))
        term.evaluate(configuration, neighbors: neighbors, request: request, workers: workers, into: &scratch)
        let lambda = factor
        result.energy += lambda * scratch.energy
        for k in 0..<6 { result.virial[k] += lambda * scratch.virial[k] }
        if request.contains(.forces) {
            result.forces.withUnsafeMutableBufferPointer { forces in
                scratch.forces.withUnsafeBufferPointer { own in for k in own.indices { forces[k] += lambda * own[k] } }
            }
        }
        if request.contains(.perAtomEnergies) {
            result.perAtomEnergies.withUnsafeMutableBufferPointer { energies in
                scratch.perAtomEnergies.withUnsafeBufferPointer { own in for k in own.indices { energies[k] += lambda * own[k] } }
            }
        }
        result.addExtra(derivativeName, scratch.energy)
        for extra in scratch.extras { result.addExtra(extra.name, extra.value) }
    }

    public mutating func speciesChangeEnergy(_ change: Evaluator.SpeciesChange, neighbors: NeighborList) -> Double? {
        term.speciesChangeEnergy(change, neighbors: neighbors).map { factor * $0 }
    }

    public mutating func acceptSpeciesChange() { term.acceptSpeciesChange() }

    public mutating func prepareSpeciesChanges(_ configuration: Configuration, neighbors: NeighborList, workers: Workers) {
        term.prepareSpeciesChanges(configuration, neighbors: neighbors, workers: workers)
    }

    public var local: (any LocalEnergy)? { term.local.map { ScaledLocalEnergy(term: $0, factor: factor) } }
}

/// λ times a term's local energies.
public struct ScaledLocalEnergy: LocalEnergy {
    public let term: any LocalEnergy
    public let factor: Double
    public var cutoff: Double { term.cutoff }

    public func localEnergy(of atoms: UnsafeBufferPointer<Int>, neighbors: NeighborList) -> Double {
        factor * term.localEnergy(of: atoms, neighbors: neighbors)
    }
}
