/// Energy (eV), forces (eV/Å, flat 3N), virial Σ x⊗f (eV, Voigt xx yy zz yz xz xy), per-atom
/// energies (eV) and named extra terms (a bias energy, a collective variable, committee members).
/// Potentials *add* into a result so sums of potentials need no copies.
public struct PotentialResult: Equatable, Sendable {
    public var energy = 0.0
    public var forces: [Double] = []
    public var virial = [Double](repeating: 0, count: 6)
    public var perAtomEnergies: [Double] = []
    /// Named values reported by terms, in the order they were added (already included in `energy`
    /// when they are energies; the name says what they are, e.g. "bias.energy", "cv.Q6").
    public var extras: [Extra] = []

    public struct Extra: Equatable, Sendable {
        public var name: String
        public var value: Double
        public init(_ name: String, _ value: Double) { self.name = name; self.value = value }
    }

    public init() {}

    /// Zeroes everything for `atomCount` atoms (keeps the buffers). Per-atom energies are sized only
    /// when asked for (empty otherwise: N doubles saved on every step that does not write them).
    public mutating func reset(atomCount: Int, perAtomEnergies wanted: Bool = true) {
        energy = 0
        if forces.count != 3 * atomCount { forces = [Double](repeating: 0, count: 3 * atomCount) } else {
            forces.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
        virial = [0, 0, 0, 0, 0, 0]
        if !wanted {
            perAtomEnergies = []
        } else if perAtomEnergies.count != atomCount { perAtomEnergies = [Double](repeating: 0, count: atomCount) } else {
            perAtomEnergies.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
        extras.removeAll(keepingCapacity: true)
    }

    /// Adds `value` to the named extra term (creating it).
    public mutating func addExtra(_ name: String, _ value: Double) {
        if let k = extras.firstIndex(where: { $0.name == name }) { extras[k].value += value } else { extras.append(Extra(name, value)) }
    }

    public func extra(_ name: String) -> Double? { extras.first { $0.name == name }?.value }

    /// Stress as ASE defines it: −virial/V (eV/Å³, Voigt xx yy zz yz xz xy; negative under compression).
    public func stress(volume: Double) -> [Double] { virial.map { -$0 / volume } }
}
