import COpenBLAS
import Foundation

/// featomic's GTO radial basis for one angular degree: R_n(r) = N_n r^n exp(−r²/2σ_n²), n = 0…count−1,
/// σ_n = radius · max(√n, 1) / count, N_n normalising ∫ R_n² r² dr = 1; made orthonormal by Löwdin's
/// symmetric S^{−1/2} (S the overlap matrix), computed with LAPACK's dsyev.
public struct GTORadialBasis: Sendable {
    public let count: Int
    public let widths: [Double]
    public let norms: [Double]
    /// Row-major count × count: orthonormal φ_n = Σ_k T[n][k] R_k.
    public let orthonormalization: [Double]

    public init(count: Int, radius: Double) {
        self.count = count
        let widths = (0..<count).map { n in radius * max(Double(n).squareRoot(), 1) / Double(count) }
        let norms = (0..<count).map { n -> Double in
            let power: Double = pow(widths[n], Double(2 * n + 3))
            return (2 / (power * tgamma(Double(n) + 1.5))).squareRoot()
        }
        // S_nk = N_n N_k ∫ r^{n+k+2} exp(−b r²) dr = N_n N_k Γ((n+k+3)/2) / (2 b^{(n+k+3)/2}).
        var overlap = [Double](repeating: 0, count: count * count)
        for n in 0..<count {
            for k in 0..<count {
                let b = 0.5 * (1 / (widths[n] * widths[n]) + 1 / (widths[k] * widths[k]))
                let a = 0.5 * Double(n + k + 3)
                overlap[n * count + k] = norms[n] * norms[k] * tgamma(a) / (2 * pow(b, a))
            }
        }
        self.widths = widths
        self.norms = norms
        orthonormalization = GTORadialBasis.inverseSquareRoot(overlap, count)
    }

    /// R_n(r) (not orthonormalised).
    public func value(_ n: Int, _ r: Double) -> Double {
        norms[n] * pow(r, Double(n)) * exp(-0.5 * r * r / (widths[n] * widths[n]))
    }

    /// S^{−1/2} of a symmetric positive-definite matrix: V diag(λ^{−1/2}) Vᵀ.
    static func inverseSquareRoot(_ matrix: [Double], _ n: Int) -> [Double] {
        var a = matrix
        var eigenvalues = [Double](repeating: 0, count: n)
        let info = LAPACKE_dsyev(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")),
                                 Int32(n), &a, Int32(n), &eigenvalues)
        precondition(info == 0, "dsyev failed on the GTO overlap matrix (info \(info))")
        var result = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var sum = 0.0
                for k in 0..<n { sum += a[i * n + k] * a[j * n + k] / eigenvalues[k].squareRoot() }
                result[i * n + j] = sum
            }
        }
        return result
    }
}
