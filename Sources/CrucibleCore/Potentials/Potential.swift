/// What a caller wants from an evaluation. Asking for less is cheaper (a thermo-free MD step needs
/// only forces; Monte Carlo asks for local energies through `Potential.energyOfEnvironments`).
public struct PotentialRequest: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let energy = PotentialRequest(rawValue: 1)
    public static let forces = PotentialRequest(rawValue: 2)
    public static let virial = PotentialRequest(rawValue: 4)
    public static let perAtomEnergies = PotentialRequest(rawValue: 8)
    public static let all: PotentialRequest = [.energy, .forces, .virial, .perAtomEnergies]
}

/// Energy (eV), forces (eV/Å, flat 3N), virial Σ x⊗f (eV, Voigt xx yy zz yz xz xy) and per-atom
/// energies (eV). Potentials *add* into a result so sums of potentials need no copies.
public struct PotentialResult: Equatable, Sendable {
    public var energy = 0.0
    public var forces: [Double] = []
    public var virial = [Double](repeating: 0, count: 6)
    public var perAtomEnergies: [Double] = []

    public init() {}

    /// Zeroes everything for `atomCount` atoms.
    public mutating func reset(atomCount: Int) {
        energy = 0
        if forces.count != 3 * atomCount { forces = [Double](repeating: 0, count: 3 * atomCount) } else {
            forces.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
        virial = [0, 0, 0, 0, 0, 0]
        if perAtomEnergies.count != atomCount { perAtomEnergies = [Double](repeating: 0, count: atomCount) } else {
            perAtomEnergies.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
    }

    /// Stress as ASE defines it: −virial/V (eV/Å³, Voigt xx yy zz yz xz xy; negative under compression).
    public func stress(volume: Double) -> [Double] { virial.map { -$0 / volume } }
}

/// An interatomic potential evaluated in-process. Dispatch through this protocol happens once per
/// evaluation; the pair loops inside are concrete.
public protocol Potential: Sendable {
    /// Name for logs (e.g. "eam Cu_u3.eam").
    var name: String { get }
    /// Interaction range, Å. The neighbour list is built with the largest cutoff of all terms.
    var cutoff: Double { get }
    /// Adds this potential's contributions for `configuration` to `result`.
    /// `neighbors` is valid (built or refreshed) for `configuration`.
    func evaluate(_ configuration: Configuration, neighbors: NeighborList, request: PotentialRequest,
                  workspace: inout Workspace, workers: Workers, into result: inout PotentialResult)
    /// Σ of the per-atom energies of `atoms` (eV), computed from their local environments only,
    /// with the convention of `perAtomEnergies` (pair energies split half and half).
    /// Swap Monte Carlo evaluates ΔE as the change of this over the atoms whose energy can change
    /// (`NeighborList.environment(of:)`).
    func energyOfEnvironments(_ atoms: [Int], configuration: Configuration, neighbors: NeighborList) -> Double
}

/// Reusable scratch memory of one replica's evaluations, so steps do not allocate.
public struct Workspace: Sendable {
    public var chunkBuffers = ChunkBuffers()
    public var scalarBuffers = ChunkBuffers()
    public var extended: [Double] = []
    public var extendedScalar: [Double] = []
    public var owned: [Double] = []
    public var ownedScalar: [Double] = []
    /// Per-owned-atom and per-extended-atom scalars of many-body potentials (EAM density, F'(ρ)).
    public var density: [Double] = []
    public var embeddingSlope: [Double] = []
    public var extendedSlope: [Double] = []

    public init() {}
}
