import CrucibleCore
import Foundation

/// The Wigner 3j tensor of degrees (l1, l2, l3) in the basis of the real spherical harmonics the
/// density expansion uses (no Condon–Shortley phase): the one invariant coupling of three
/// expansions, so Σ_m W_{m1 m2 m3} c1_{m1} c2_{m2} c3_{m3} is a rotation invariant.
///
/// How: for l1 + l2 + l3 even the real Gaunt integral G = ∫ Y_{l1 m1} Y_{l2 m2} Y_{l3 m3} dΩ equals
/// √((2l1+1)(2l2+1)(2l3+1)/4π) (l1 l2 l3; 0 0 0) W (the complex identity carried through the same
/// unitary change of basis on each index), and (l1 l2 l3; 0 0 0) ≠ 0. G is integrated exactly with
/// our own harmonics (Gauss–Legendre in cos θ × a uniform φ grid is exact for the degree-(l1+l2+l3)
/// product), so W is in precisely the basis of the coefficients, whatever sign convention they
/// carry. Odd l1 + l2 + l3 (pseudoscalars, which flip under inversion) is not provided.
struct RealCoupling: Sendable {
    let degrees: (Int, Int, Int)
    /// Non-zero entries: m indices 0…2l (m + l) and the value.
    let entries: [(m1: Int, m2: Int, m3: Int, value: Double)]

    init(_ l1: Int, _ l2: Int, _ l3: Int) {
        precondition((l1 + l2 + l3) % 2 == 0 && l3 >= abs(l1 - l2) && l3 <= l1 + l2)
        degrees = (l1, l2, l3)
        let L = max(l1, l2, l3), degree = l1 + l2 + l3
        let harmonics = SphericalHarmonics(maxDegree: L, condonShortleyPhase: false)
        let theta = GaussLegendre(points: degree / 2 + 1), phiCount = degree + 1
        var y = [Double](repeating: 0, count: harmonics.count), scratch = SphericalHarmonics.Scratch()
        let w1 = 2 * l1 + 1, w2 = 2 * l2 + 1, w3 = 2 * l3 + 1
        var gaunt = [Double](repeating: 0, count: w1 * w2 * w3)
        for (t, z) in theta.nodes.enumerated() {
            let s = (1 - z * z).squareRoot()
            for k in 0..<phiCount {
                let phi = 2 * Double.pi * Double(k) / Double(phiCount)
                y.withUnsafeMutableBufferPointer { harmonics.evaluate(s * cos(phi), s * sin(phi), z, values: $0.baseAddress!, gradients: nil, scratch: &scratch) }
                let weight = theta.weights[t] * 2 * Double.pi / Double(phiCount)
                for a in 0..<w1 {
                    let ya = weight * y[l1 * l1 + a]
                    for b in 0..<w2 {
                        let yab = ya * y[l2 * l2 + b]
                        for c in 0..<w3 { gaunt[(a * w2 + b) * w3 + c] += yab * y[l3 * l3 + c] }
                    }
                }
            }
        }
        let norm = (Double(w1 * w2 * w3) / (4 * Double.pi)).squareRoot() * Self.threeJZero(l1, l2, l3)
        var entries: [(Int, Int, Int, Double)] = []
        for a in 0..<w1 { for b in 0..<w2 { for c in 0..<w3 {
            let value = gaunt[(a * w2 + b) * w3 + c] / norm
            if abs(value) > 1e-13 { entries.append((a, b, c, value)) }
        } } }
        self.entries = entries.map { (m1: $0.0, m2: $0.1, m3: $0.2, value: $0.3) }
    }

    /// (l1 l2 l3; 0 0 0) for even J = l1 + l2 + l3 (closed form, g = J/2):
    /// (−1)^g √((J−2l1)!(J−2l2)!(J−2l3)!/(J+1)!) · g!/((g−l1)!(g−l2)!(g−l3)!).
    static func threeJZero(_ l1: Int, _ l2: Int, _ l3: Int) -> Double {
        let J = l1 + l2 + l3, g = J / 2
        func logFactorial(_ n: Int) -> Double { lgamma(Double(n + 1)) }
        let logValue = 0.5 * (logFactorial(J - 2 * l1) + logFactorial(J - 2 * l2) + logFactorial(J - 2 * l3) - logFactorial(J + 1))
            + logFactorial(g) - logFactorial(g - l1) - logFactorial(g - l2) - logFactorial(g - l3)
        return (g % 2 == 0 ? 1.0 : -1.0) * exp(logValue)
    }
}
