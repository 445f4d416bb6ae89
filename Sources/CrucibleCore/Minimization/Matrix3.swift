/// Small 3×3 matrix helpers on row-major `[Double]` (9 entries), for the cell algebra of the
/// minimiser. Not for hot loops: these allocate.
enum Matrix3 {
    static let identity: [Double] = [1, 0, 0, 0, 1, 0, 0, 0, 1]

    static func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
        var r = [Double](repeating: 0, count: 9)
        for i in 0..<3 { for j in 0..<3 { for k in 0..<3 { r[3 * i + j] += a[3 * i + k] * b[3 * k + j] } } }
        return r
    }

    static func transpose(_ a: [Double]) -> [Double] {
        [a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]]
    }

    /// Inverse through the cell's adjugate formula.
    static func inverse(_ a: [Double]) -> [Double] { Cell(matrix: a).inverse }

    /// Symmetric matrix from Voigt components (xx yy zz yz xz xy).
    static func fromVoigt(_ v: [Double]) -> [Double] {
        [v[0], v[5], v[4], v[5], v[1], v[3], v[4], v[3], v[2]]
    }

    /// y = A x for the 3-vector stored at `offset` of `x`, written at `offset` of `y`.
    @inline(__always)
    static func apply(_ a: [Double], _ x: [Double], _ offset: Int, into y: inout [Double]) {
        let x0 = x[offset], x1 = x[offset + 1], x2 = x[offset + 2]
        y[offset] = a[0] * x0 + a[1] * x1 + a[2] * x2
        y[offset + 1] = a[3] * x0 + a[4] * x1 + a[5] * x2
        y[offset + 2] = a[6] * x0 + a[7] * x1 + a[8] * x2
    }
}
