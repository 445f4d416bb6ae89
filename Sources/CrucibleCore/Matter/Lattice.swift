/// Crystal builders: a conventional cell of a Bravais lattice with a basis, repeated.
public enum LatticeKind: String, CaseIterable, Sendable {
    case sc, bcc, fcc, hcp, diamond

    /// Conventional cell (rows a, b, c) for lattice constant `a` (and `c` for hcp).
    func cellMatrix(a: Double, c: Double) -> [Double] {
        switch self {
        case .hcp:
            return [a, 0, 0, -0.5 * a, 0.5 * a * Double(3).squareRoot(), 0, 0, 0, c]
        default:
            return [a, 0, 0, 0, a, 0, 0, 0, a]
        }
    }

    /// Basis in fractional coordinates of the conventional cell.
    var basis: [[Double]] {
        switch self {
        case .sc: return [[0, 0, 0]]
        case .bcc: return [[0, 0, 0], [0.5, 0.5, 0.5]]
        case .fcc: return [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]]
        case .hcp: return [[0, 0, 0], [1.0 / 3, 2.0 / 3, 0.5]]
        case .diamond:
            let fcc: [[Double]] = [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]]
            return fcc + fcc.map { [$0[0] + 0.25, $0[1] + 0.25, $0[2] + 0.25] }
        }
    }
}

public struct Lattice: Sendable {
    public var kind: LatticeKind
    public var a: Double
    public var c: Double?
    public var repeats: [Int]

    public init(kind: LatticeKind, a: Double, c: Double? = nil, repeats: [Int]) {
        self.kind = kind; self.a = a; self.c = c; self.repeats = repeats
    }

    public var atomCount: Int { kind.basis.count * repeats.reduce(1, *) }

    /// Positions (flat 3N, Å) and the periodic cell of the repeated crystal, atoms ordered cell by cell.
    public func build() -> (cell: Cell, positions: [Double]) {
        let unit = kind.cellMatrix(a: a, c: c ?? a * (8.0 / 3.0).squareRoot())
        var positions: [Double] = []
        positions.reserveCapacity(3 * atomCount)
        for k in 0..<repeats[2] {
            for j in 0..<repeats[1] {
                for i in 0..<repeats[0] {
                    for b in kind.basis {
                        let s = [Double(i) + b[0], Double(j) + b[1], Double(k) + b[2]]
                        for d in 0..<3 { positions.append(s[0] * unit[d] + s[1] * unit[3 + d] + s[2] * unit[6 + d]) }
                    }
                }
            }
        }
        var matrix = unit
        for r in 0..<3 { for d in 0..<3 { matrix[3 * r + d] *= Double(repeats[r]) } }
        return (Cell(matrix: matrix), positions)
    }
}

public enum Composition {
    /// Exact atom counts for `total` atoms from fractions (largest remainder, ties by order).
    public static func counts(fractions: [Double], total: Int) -> [Int] {
        let sum = fractions.reduce(0, +)
        let exact = fractions.map { $0 / sum * Double(total) }
        var counts = exact.map { Int($0.rounded(.down)) }
        let order = exact.indices.sorted { (exact[$0] - Double(counts[$0])) > (exact[$1] - Double(counts[$1])) }
        var missing = total - counts.reduce(0, +)
        for index in order where missing > 0 { counts[index] += 1; missing -= 1 }
        return counts
    }

    /// A random assignment of species indices with the given counts (Fisher–Yates on `random`).
    public static func randomSpecies(counts: [Int], random: inout RandomStream) -> [Int32] {
        var species: [Int32] = []
        for (index, count) in counts.enumerated() { species += [Int32](repeating: Int32(index), count: count) }
        if species.count > 1 {
            for i in stride(from: species.count - 1, to: 0, by: -1) {
                let j = Int(random.next() % UInt64(i + 1))
                species.swapAt(i, j)
            }
        }
        return species
    }
}
