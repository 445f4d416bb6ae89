import Foundation

/// Scaled modified spherical Bessel functions of the first kind, ĩ_l(x) = e^{−x} i_l(x), x ≥ 0,
/// for every l ≤ `maxDegree`, and their scaled derivatives e^{−x} i_l'(x).
///
/// Why scaled: the Gaussian density's radial integral holds exp(−(r² + d²)/2σ²) i_l(rd/σ²), which
/// is exp(−(r − d)²/2σ²) ĩ_l(rd/σ²): both factors are then bounded and nothing overflows.
/// Small and moderate x: the power series (all terms positive, no cancellation); large x: the
/// closed form (a finite sum in 1/x), used only where its alternating terms are small.
public enum ScaledSphericalBessel {
    /// Writes ĩ_l(x) for l = 0…maxDegree + 1 into `values` (maxDegree + 2 entries) and e^{−x} i_l'(x)
    /// for l = 0…maxDegree into `derivatives` (maxDegree + 1 entries).
    public static func evaluate(_ x: Double, maxDegree: Int, values: UnsafeMutablePointer<Double>,
                                derivatives: UnsafeMutablePointer<Double>) {
        let top = maxDegree + 1
        for l in 0...top { values[l] = scaled(l, x) }
        // i_0' = i_1; i_l' = (l i_{l−1} + (l + 1) i_{l+1}) / (2l + 1): no division by x.
        derivatives[0] = values[1]
        if maxDegree >= 1 {
            for l in 1...maxDegree {
                derivatives[l] = (Double(l) * values[l - 1] + Double(l + 1) * values[l + 1]) / Double(2 * l + 1)
            }
        }
    }

    /// ĩ_l(x) for one l.
    public static func scaled(_ l: Int, _ x: Double) -> Double {
        if x == 0 { return l == 0 ? 1 : 0 }
        // The closed form's alternating sum loses about log10(l(l+1)/2x) digits; keep it to x ≥ 2 l(l+1).
        if x >= max(30, 2 * Double(l * (l + 1))) { return closedForm(l, x) }
        return series(l, x)
    }

    /// e^{−x} x^l/(2l+1)!! Σ_k (x²/2)^k / (k! (2l+3)(2l+5)⋯(2l+2k+1)).
    static func series(_ l: Int, _ x: Double) -> Double {
        var prefactor = 1.0
        for k in 0..<l { prefactor *= x / Double(2 * k + 3) }   // x^l / (2l+1)!!
        let half = 0.5 * x * x
        var term = 1.0, sum = 1.0, k = 0
        while true {
            k += 1
            term *= half / (Double(k) * Double(2 * l + 2 * k + 1))
            sum += term
            if term < 1e-17 * sum { break }
        }
        // exp(−x) applied in log space so that large x with small prefactor does not overflow.
        return Foundation.exp(Foundation.log(sum) - x) * prefactor
    }

    /// i_l(x) = [e^x Σ_k (−1)^k a_k (2x)^−k − (−1)^l e^−x Σ_k a_k (2x)^−k] / 2x, a_k = (l+k)!/(k!(l−k)!).
    static func closedForm(_ l: Int, _ x: Double) -> Double {
        var a = 1.0, plus = 0.0, minus = 0.0, power = 1.0
        let inv2x = 1 / (2 * x)
        for k in 0...l {
            if k > 0 { a *= Double((l + k) * (l - k + 1)) / Double(k) }
            plus += (k % 2 == 0 ? a : -a) * power
            minus += a * power
            power *= inv2x
        }
        let sign = l % 2 == 0 ? 1.0 : -1.0
        return (plus - sign * Foundation.exp(-2 * x) * minus) * inv2x
    }
}
