/// LAMMPS's `interpolate` (called by array2spline): a cubic through each interval of a uniform table,
/// with end-point slopes from one-sided/centred differences and interior slopes from the 5-point
/// formula. Seven coefficients per knot, knot m (1-based, table value m−1) at offset 7·m:
///   value(p)      = ((c3·p + c4)·p + c5)·p + c6,   p ∈ [0, 1] within the interval
///   derivative(p) = (c0·p + c1)·p + c2             (already divided by the spacing)
/// Slot 0 is unused (zeros) so that the evaluators can index with LAMMPS's m directly.
public enum EAMSplineFit {
    public static let stride = 7

    /// `values` are f at 0, delta, 2·delta, … (at least 3); returns 7·(n+1) coefficients.
    public static func coefficients(_ values: [Double], delta: Double) -> [Double] {
        let n = values.count
        var c = [Double](repeating: 0, count: stride * (n + 1))
        @inline(__always) func at(_ m: Int, _ k: Int) -> Int { stride * m + k }

        for m in 1...n { c[at(m, 6)] = values[m - 1] }

        // Slopes (per interval, i.e. times delta): one-sided at the ends, centred next to them…
        c[at(1, 5)] = c[at(2, 6)] - c[at(1, 6)]
        c[at(2, 5)] = 0.5 * (c[at(3, 6)] - c[at(1, 6)])
        c[at(n - 1, 5)] = 0.5 * (c[at(n, 6)] - c[at(n - 2, 6)])
        c[at(n, 5)] = c[at(n, 6)] - c[at(n - 1, 6)]
        // …and the 5-point formula inside.
        if n >= 5 {
            for m in 3...(n - 2) {
                c[at(m, 5)] = ((c[at(m - 2, 6)] - c[at(m + 2, 6)])
                    + 8.0 * (c[at(m + 1, 6)] - c[at(m - 1, 6)])) / 12.0
            }
        }

        // Hermite cubic on each interval from the values and slopes at its two ends.
        for m in 1...(n - 1) {
            c[at(m, 4)] = 3.0 * (c[at(m + 1, 6)] - c[at(m, 6)]) - 2.0 * c[at(m, 5)] - c[at(m + 1, 5)]
            c[at(m, 3)] = c[at(m, 5)] + c[at(m + 1, 5)] - 2.0 * (c[at(m + 1, 6)] - c[at(m, 6)])
        }
        c[at(n, 4)] = 0.0
        c[at(n, 3)] = 0.0

        // Derivative coefficients, in units of the grid variable.
        for m in 1...n {
            c[at(m, 2)] = c[at(m, 5)] / delta
            c[at(m, 1)] = 2.0 * c[at(m, 4)] / delta
            c[at(m, 0)] = 3.0 * c[at(m, 3)] / delta
        }
        return c
    }
}
