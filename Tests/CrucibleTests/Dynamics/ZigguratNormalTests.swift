import Foundation
import Testing
@testable import CrucibleCore

/// The ziggurat deviates of the ring-polymer thermostat against the exact standard normal law.
struct ZigguratNormalTests {
    /// Φ(x) = ½ (1 + erf(x/√2)).
    static func cdf(_ x: Double) -> Double { 0.5 * (1 + erf(x / 2.0.squareRoot())) }

    @Test func deviatesFollowTheStandardNormalLaw() {
        let count = 2_000_000
        var random = RandomStream(seed: 17, stream: 3)
        let normal = ZigguratNormal.shared
        // Bins of width 0.25 on [−4, 4] plus the two tails beyond; the tail start R = 3.44 falls
        // inside a bin, so a wrong tail or wedge shows as a bin off by many σ.
        let edges = stride(from: -4.0, through: 4.0, by: 0.25).map { $0 }
        var counts = [Int](repeating: 0, count: edges.count + 1)
        var sum = 0.0, sumSquares = 0.0, sumFourth = 0.0, beyondTail = 0
        for _ in 0..<count {
            let x = normal.draw(&random)
            sum += x
            sumSquares += x * x
            sumFourth += x * x * x * x
            if abs(x) > ZigguratNormal.tailStart { beyondTail += 1 }
            let bin = x < edges[0] ? 0 : min(edges.count, Int((x - edges[0]) / 0.25) + 1)
            counts[bin] += 1
        }
        let n = Double(count)
        #expect(abs(sum / n) < 5 / n.squareRoot())
        #expect(abs(sumSquares / n - 1) < 5 * 2.0.squareRoot() / n.squareRoot())
        #expect(abs(sumFourth / n - 3) < 5 * 96.0.squareRoot() / n.squareRoot())
        // P(|x| > R) = 2 (1 − Φ(R)) ≈ 5.8e-4: the tail algorithm's share.
        let tail = 2 * (1 - Self.cdf(ZigguratNormal.tailStart)) * n
        #expect(abs(Double(beyondTail) - tail) < 5 * tail.squareRoot())
        var chiSquare = 0.0
        for bin in counts.indices {
            let low = bin == 0 ? 0 : Self.cdf(edges[bin - 1]), high = bin == edges.count ? 1 : Self.cdf(edges[bin])
            let expected = (high - low) * n
            chiSquare += (Double(counts[bin]) - expected) * (Double(counts[bin]) - expected) / expected
        }
        // 33 bins, 32 degrees of freedom: the 99.9% point of χ²(32) is 62.5.
        #expect(chiSquare < 62.5, "χ² = \(chiSquare)")
    }

    @Test func tablesTileTheCurve() {
        let z = ZigguratNormal.shared
        // Each block i ≥ 1 spans [0, x_i] × [f(x_i), f(x_{i+1})] with the common area V (to the
        // 13 digits of Doornik's R and V: the top block, built last, is off by 1.2e-9 of V).
        for i in 1..<ZigguratNormal.blockCount {
            let area = z.edges[i] * (exp(-0.5 * z.edges[i + 1] * z.edges[i + 1]) - exp(-0.5 * z.edges[i] * z.edges[i]))
            #expect(abs(area - ZigguratNormal.blockArea) < 1e-8 * ZigguratNormal.blockArea)
        }
        #expect(z.edges[ZigguratNormal.blockCount] == 0)
        #expect(z.edges[1] == ZigguratNormal.tailStart)
    }
}
