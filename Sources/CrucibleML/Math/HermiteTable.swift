/// Many functions of one variable on [0, upper], tabulated on a uniform grid with their exact
/// derivatives and interpolated by cubic Hermite polynomials: all functions at once, so a pair loop
/// gets every radial integral I_nl(d) and its slope from one contiguous read.
///
/// Error ≈ h⁴ max|f⁗| / 384 per function; the density expansion picks h from its Gaussian width.
public struct HermiteTable: Sendable {
    public let functionCount: Int
    public let upper: Double
    public let spacing: Double
    /// Knot k: values of every function, then their derivatives (2 · functionCount per knot).
    let knots: [Double]
    let inverseSpacing: Double

    /// Tabulates `functionCount` functions at `intervals + 1` knots; `fill(d, values, slopes)` writes
    /// the values and derivatives at d.
    public init(functionCount: Int, upper: Double, intervals: Int,
                fill: (Double, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Void) {
        precondition(functionCount > 0 && upper > 0 && intervals > 0)
        self.functionCount = functionCount
        self.upper = upper
        spacing = upper / Double(intervals)
        inverseSpacing = Double(intervals) / upper
        var knots = [Double](repeating: 0, count: 2 * functionCount * (intervals + 1))
        knots.withUnsafeMutableBufferPointer { table in
            for k in 0...intervals {
                let row = table.baseAddress! + 2 * functionCount * k
                fill(Double(k) * upper / Double(intervals), row, row + functionCount)
            }
        }
        self.knots = knots
    }

    /// Values and derivatives of every function at d (0 ≤ d ≤ upper).
    @inline(__always)
    public func evaluate(_ d: Double, values: UnsafeMutablePointer<Double>, slopes: UnsafeMutablePointer<Double>) {
        let n = functionCount
        let intervals = knots.count / (2 * n) - 1
        var k = Int(d * inverseSpacing)
        if k >= intervals { k = intervals - 1 }
        let t = d * inverseSpacing - Double(k), h = spacing
        let t2 = t * t, t3 = t2 * t
        // Hermite basis and its derivative with respect to d.
        let h00 = 2 * t3 - 3 * t2 + 1, h10 = (t3 - 2 * t2 + t) * h, h01 = -2 * t3 + 3 * t2, h11 = (t3 - t2) * h
        let d00 = (6 * t2 - 6 * t) * inverseSpacing, d10 = 3 * t2 - 4 * t + 1
        let d01 = -d00, d11 = 3 * t2 - 2 * t
        knots.withUnsafeBufferPointer { table in
            let a = table.baseAddress! + 2 * n * k, b = a + 2 * n
            for f in 0..<n {
                let y0 = a[f], s0 = a[n + f], y1 = b[f], s1 = b[n + f]
                values[f] = h00 * y0 + h10 * s0 + h01 * y1 + h11 * s1
                slopes[f] = d00 * y0 + d10 * s0 + d01 * y1 + d11 * s1
            }
        }
    }
}
