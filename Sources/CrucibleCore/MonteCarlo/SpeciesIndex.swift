/// The atoms of each species, kept current through species changes in O(1) per change, so a move
/// can pick a random atom of a given species without scanning the configuration.
public struct SpeciesIndex: Sendable {
    /// `atoms[s]`: the atoms of species s (in no particular but deterministic order).
    public private(set) var atoms: [[Int]]
    /// Position of each atom in its species' list.
    private var slot: [Int]
    /// The species of each atom (what moves read instead of the configuration).
    public private(set) var species: [Int32]

    public init(_ configuration: Configuration) {
        atoms = Array(repeating: [], count: configuration.speciesTable.count)
        slot = [Int](repeating: 0, count: configuration.count)
        species = configuration.species
        for i in 0..<configuration.count {
            let s = Int(configuration.species[i])
            slot[i] = atoms[s].count
            atoms[s].append(i)
        }
    }

    public func count(of species: Int) -> Int { atoms[species].count }

    /// Atoms of all species.
    public var atomCount: Int { slot.count }

    /// A uniformly random atom of `species` (which must have atoms).
    public func randomAtom(of species: Int, _ random: inout RandomStream) -> Int {
        atoms[species][random.index(below: atoms[species].count)]
    }

    /// Records that `atom` changed from species `old` to `new`.
    public mutating func move(_ atom: Int, from old: Int, to new: Int) {
        guard old != new else { return }
        let position = slot[atom]
        let last = atoms[old].removeLast()
        if last != atom { atoms[old][position] = last; slot[last] = position }
        slot[atom] = atoms[new].count
        atoms[new].append(atom)
        species[atom] = Int32(new)
    }
}

extension RandomStream {
    /// Uniform integer in 0..<n (n ≥ 1), without modulo bias (Lemire's multiply-and-reject).
    public mutating func index(below n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return Int(product.high)
    }
}
