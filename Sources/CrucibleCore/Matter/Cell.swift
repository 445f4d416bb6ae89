/// A periodic (or partly periodic) simulation cell.
/// `matrix` is row-major with rows = the edge vectors a, b, c (ASE's convention, any orientation);
/// a point's Cartesian position is x = s · matrix for fractional coordinates s.
public struct Cell: Equatable, Sendable {
    public var matrix: [Double]
    public var periodic: [Bool]

    public init(matrix: [Double], periodic: [Bool] = [true, true, true]) {
        precondition(matrix.count == 9 && periodic.count == 3)
        self.matrix = matrix
        self.periodic = periodic
    }

    public static func orthorhombic(_ lx: Double, _ ly: Double, _ lz: Double) -> Cell {
        Cell(matrix: [lx, 0, 0, 0, ly, 0, 0, 0, lz])
    }

    @inline(__always) public subscript(row: Int, column: Int) -> Double {
        get { matrix[3 * row + column] }
        set { matrix[3 * row + column] = newValue }
    }

    public var volume: Double { abs(determinant) }

    public var determinant: Double {
        let m = matrix
        let t0: Double = m[0] * (m[4] * m[8] - m[5] * m[7])
        let t1: Double = m[1] * (m[3] * m[8] - m[5] * m[6])
        let t2: Double = m[2] * (m[3] * m[7] - m[4] * m[6])
        return t0 - t1 + t2
    }

    /// Inverse of `matrix` (row-major): s = x · inverse.
    public var inverse: [Double] {
        let m = matrix
        let d = determinant
        // Adjugate (transposed cofactors) over the determinant.
        @inline(__always) func cofactor(_ a: Int, _ b: Int, _ c: Int, _ e: Int) -> Double { m[a] * m[b] - m[c] * m[e] }
        var r = [Double](repeating: 0, count: 9)
        r[0] = cofactor(4, 8, 5, 7); r[1] = cofactor(2, 7, 1, 8); r[2] = cofactor(1, 5, 2, 4)
        r[3] = cofactor(5, 6, 3, 8); r[4] = cofactor(0, 8, 2, 6); r[5] = cofactor(2, 3, 0, 5)
        r[6] = cofactor(3, 7, 4, 6); r[7] = cofactor(1, 6, 0, 7); r[8] = cofactor(0, 4, 1, 3)
        for k in 0..<9 { r[k] /= d }
        return r
    }

    /// Distance between the two faces spanned by the other two edges, for each edge: the widths that
    /// decide how many periodic images a cutoff reaches.
    public var perpendicularWidths: [Double] {
        let inv = inverse
        // Column k of the inverse is the reciprocal vector b_k with |b_k| = 1/width_k.
        return (0..<3).map { k in
            let norm2: Double = inv[k] * inv[k] + inv[3 + k] * inv[3 + k] + inv[6 + k] * inv[6 + k]
            return 1 / norm2.squareRoot()
        }
    }

    public var lengths: [Double] {
        (0..<3).map { r in
            let a = matrix[3 * r], b = matrix[3 * r + 1], c = matrix[3 * r + 2]
            return (a * a + b * b + c * c).squareRoot()
        }
    }

    /// True when every periodic axis is at least `2 * cutoff` wide (minimum image is enough).
    public func isLargeEnough(for cutoff: Double) -> Bool {
        let widths = perpendicularWidths
        return (0..<3).allSatisfy { !periodic[$0] || widths[$0] >= 2 * cutoff }
    }
}
