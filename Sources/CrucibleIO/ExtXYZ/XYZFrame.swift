/// One frame of an extended XYZ file, in the shape ASE gives it: cell, pbc, species, positions,
/// the comment line's other key=value pairs (`info`) and the other per-atom columns (`arrays`).
public struct XYZFrame: Sendable, Equatable {
    /// 9 values, row-major, rows = lattice vectors a, b, c (Å). All zero when the file has no Lattice.
    public var cell: [Double]
    /// Periodicity along a, b, c. ASE's default: T T T when a Lattice is given, else F F F.
    public var pbc: [Bool]
    /// Chemical symbols, capitalised as ASE does ("CU" → "Cu").
    public var symbols: [String]
    /// Flat x0 y0 z0 x1 y1 z1 … (Å), 3N values.
    public var positions: [Double]
    /// Every comment-line key except Lattice, Properties and pbc (e.g. energy, stress, config_type).
    /// `stress` and `virial` are always 9 reals in file order (ASE: the 3×3 flattened column-major,
    /// "xx yx zx xy yy zy xz yz zz", the same as row-major for a symmetric tensor).
    public var info: [String: XYZValue]
    /// Per-atom columns other than species and pos, under their names in the file (forces, energies, …).
    public var arrays: [String: XYZArray]

    public init(
        cell: [Double] = Array(repeating: 0, count: 9),
        pbc: [Bool] = [false, false, false],
        symbols: [String] = [],
        positions: [Double] = [],
        info: [String: XYZValue] = [:],
        arrays: [String: XYZArray] = [:]
    ) {
        self.cell = cell
        self.pbc = pbc
        self.symbols = symbols
        self.positions = positions
        self.info = info
        self.arrays = arrays
    }

    public var atomCount: Int { symbols.count }

    /// True when the file gave a Lattice (a cell with any non-zero component).
    public var hasCell: Bool { cell.contains { $0 != 0 } }
}

/// A value on the comment line, typed as ASE types it: integers first, then reals, then booleans,
/// else the string itself. Several whitespace- or comma-separated items make an array.
public enum XYZValue: Sendable, Equatable {
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    case intArray([Int])
    case doubleArray([Double])
    case boolArray([Bool])

    /// The numbers in this value, whether written as integers or reals; nil for bools and strings.
    public var doubles: [Double]? {
        switch self {
        case .int(let v): return [Double(v)]
        case .double(let v): return [v]
        case .intArray(let v): return v.map(Double.init)
        case .doubleArray(let v): return v
        case .bool, .string, .boolArray: return nil
        }
    }

    /// A single number (int or real); nil otherwise.
    public var double: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .double(let v): return v
        default: return nil
        }
    }
}

/// A per-atom property: N rows of `columns` values, stored flat row by row (atom-major).
public enum XYZArray: Sendable, Equatable {
    case doubles([Double], columns: Int)
    case ints([Int], columns: Int)
    case bools([Bool], columns: Int)
    case strings([String], columns: Int)

    public var columns: Int {
        switch self {
        case .doubles(_, let c), .ints(_, let c), .bools(_, let c), .strings(_, let c): return c
        }
    }

    /// Number of stored values (rows × columns).
    public var valueCount: Int {
        switch self {
        case .doubles(let v, _): return v.count
        case .ints(let v, _): return v.count
        case .bools(let v, _): return v.count
        case .strings(let v, _): return v.count
        }
    }

    /// The extended-XYZ type letter: R, I, L or S.
    public var typeLetter: Character {
        switch self {
        case .doubles: return "R"
        case .ints: return "I"
        case .bools: return "L"
        case .strings: return "S"
        }
    }
}
