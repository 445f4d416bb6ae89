/// A perfect crystal: a unit cell repeated, its sites filled by one element or a random alloy.
public struct LatticePlan: Sendable, Equatable {
    /// Same spellings as CrucibleCore's `LatticeKind`, which builds the crystal.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case sc, bcc, fcc, hcp, diamond

        /// Atoms in the repeated cell: the conventional cubic cells, and the hexagonal cell
        /// (a, a, c at 120°) for hcp, as CrucibleCore's lattice builder uses.
        public var atomsPerCell: Int {
            switch self {
            case .sc: 1
            case .bcc: 2
            case .fcc: 4
            case .hcp: 2
            case .diamond: 8
            }
        }
    }

    /// Which element sits on each site.
    public enum Occupancy: Sendable, Equatable {
        case single(String)                 // every site holds this element
        case fractions([SpeciesFraction])   // random alloy: share of the sites per element, summing to 1 (±1e-6)
        case counts([SpeciesCount])         // random alloy: exact sites per element, summing to atomCount
    }

    public struct SpeciesFraction: Sendable, Equatable {
        public var symbol: String
        public var fraction: Double         // 0…1, dimensionless

        public init(symbol: String, fraction: Double) {
            self.symbol = symbol
            self.fraction = fraction
        }
    }

    public struct SpeciesCount: Sendable, Equatable {
        public var symbol: String
        public var count: Int               // atoms ≥ 0

        public init(symbol: String, count: Int) {
            self.symbol = symbol
            self.count = count
        }
    }

    public var kind: Kind
    public var a: Double                    // Å > 0, lattice constant
    public var c: Double?                   // Å > 0, hcp only (default √(8/3)·a); nil for other kinds
    public var repeats: SIMD3<Int>          // unit cells along a, b, c; each ≥ 1
    public var occupancy: Occupancy         // elements in deck order
    public var seed: UInt64                 // seed of the random alloy draw (default: the master seed)

    public init(kind: Kind, a: Double, c: Double?, repeats: SIMD3<Int>, occupancy: Occupancy, seed: UInt64) {
        self.kind = kind
        self.a = a
        self.c = c
        self.repeats = repeats
        self.occupancy = occupancy
        self.seed = seed
    }

    /// Sites in the whole crystal (checked at decode time not to overflow).
    public var atomCount: Int {
        kind.atomsPerCell * repeats.x * repeats.y * repeats.z
    }
}
