import Foundation
import Testing
@testable import CrucibleCore

@Suite struct SphericalHarmonicsTests {
    let harmonics = SphericalHarmonics(maxDegree: 8)

    func values(_ v: [Double]) -> (values: [Double], gradients: [Double]) {
        var values = [Double](repeating: 0, count: harmonics.count), gradients = [Double](repeating: 0, count: 3 * harmonics.count)
        var scratch = SphericalHarmonics.Scratch()
        values.withUnsafeMutableBufferPointer { y in
            gradients.withUnsafeMutableBufferPointer { g in
                harmonics.evaluate(v[0], v[1], v[2], values: y.baseAddress!, gradients: g.baseAddress!, scratch: &scratch)
            }
        }
        return (values, gradients)
    }

    /// Legendre P_l by Bonnet's recurrence, independent of the code under test.
    func legendre(_ l: Int, _ x: Double) -> Double {
        var p0 = 1.0, p1 = x
        if l == 0 { return 1 }
        for n in 1..<l { (p0, p1) = (p1, (Double(2 * n + 1) * x * p1 - Double(n) * p0) / Double(n + 1)) }
        return p1
    }

    @Test func lowDegreesMatchClosedForms() {
        let v = [0.3, -1.1, 0.7], r = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).squareRoot()
        let (x, y, z) = (v[0] / r, v[1] / r, v[2] / r)
        let y00 = values(v).values
        let c1 = (3 / (4 * Double.pi)).squareRoot()
        #expect(abs(y00[0] - 0.5 / Double.pi.squareRoot()) < 1e-14)
        // l = 1, m = −1, 0, 1 (Condon–Shortley phase): −c y, c z, −c x.
        #expect(abs(y00[1] + c1 * y) < 1e-14 && abs(y00[2] - c1 * z) < 1e-14 && abs(y00[3] + c1 * x) < 1e-14)
        // l = 2, m = 0 and m = 2: √(5/16π)(3z² − 1), √(15/16π)(x² − y²).
        #expect(abs(y00[6] - (5 / (16 * Double.pi)).squareRoot() * (3 * z * z - 1)) < 1e-14)
        #expect(abs(y00[8] - (15 / (16 * Double.pi)).squareRoot() * (x * x - y * y)) < 1e-14)
    }

    /// The addition theorem Σ_m Y_lm(a) Y_lm(b) = (2l+1)/(4π) P_l(â·b̂) for every degree up to 8: it
    /// fixes the normalisation and the relative phases of all orders m at once.
    @Test func additionTheoremHoldsForEveryDegree() {
        var random = RandomStream(seed: 3)
        for _ in 0..<20 {
            let a = (0..<3).map { _ in 2 * random.uniform() - 1 }, b = (0..<3).map { _ in 2 * random.uniform() - 1 }
            let ya = values(a).values, yb = values(b).values
            let cosine = (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / ((a.map { $0 * $0 }.reduce(0, +)) * (b.map { $0 * $0 }.reduce(0, +))).squareRoot()
            for l in 0...8 {
                let sum = (l * l..<(l + 1) * (l + 1)).reduce(0.0) { $0 + ya[$1] * yb[$1] }
                #expect(abs(sum - Double(2 * l + 1) / (4 * Double.pi) * legendre(l, cosine)) < 1e-12, "degree \(l)")
            }
        }
    }

    @Test func gradientsMatchFiniteDifferences() {
        for v in [[0.3, -1.1, 0.7], [0.0, 0.0, 1.3], [1e-3, 0.0, -2.0], [-0.4, 0.9, 0.0]] {
            let analytic = values(v).gradients
            for d in 0..<3 {
                var plus = v, minus = v
                plus[d] += 1e-6; minus[d] -= 1e-6
                let (yp, ym) = (values(plus).values, values(minus).values)
                for k in 0..<harmonics.count {
                    let numeric = (yp[k] - ym[k]) / 2e-6
                    #expect(abs(numeric - analytic[3 * k + d]) < 1e-7, "entry \(k) axis \(d) at \(v)")
                }
            }
        }
    }
}
