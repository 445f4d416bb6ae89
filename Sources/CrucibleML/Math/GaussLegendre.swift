import Foundation

/// Gauss–Legendre nodes and weights on [−1, 1] (Newton iteration on P_n), for the one-off radial
/// integrals a density expansion tabulates at set-up.
public struct GaussLegendre: Sendable {
    public let nodes: [Double]
    public let weights: [Double]

    public init(points n: Int) {
        precondition(n >= 1)
        var nodes = [Double](repeating: 0, count: n), weights = nodes
        for i in 0..<n {
            var x = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var p0 = 1.0, p1 = x                    // P_{n−1}, P_n after the loop
                if n >= 2 {
                    for k in 2...n {
                        let p2 = (Double(2 * k - 1) * x * p1 - Double(k - 1) * p0) / Double(k)
                        p0 = p1; p1 = p2
                    }
                }
                derivative = Double(n) * (x * p1 - p0) / (x * x - 1)
                let step = p1 / derivative
                x -= step
                if abs(step) < 1e-16 { break }
            }
            nodes[i] = x
            weights[i] = 2 / ((1 - x * x) * derivative * derivative)
        }
        self.nodes = nodes
        self.weights = weights
    }

    /// ∫_a^b f by `panels` equal panels of this rule.
    public func integrate(from a: Double, to b: Double, panels: Int, _ f: (Double) -> Double) -> Double {
        let width = (b - a) / Double(panels)
        var total = 0.0
        for panel in 0..<panels {
            let mid = a + (Double(panel) + 0.5) * width
            var sum = 0.0
            for (x, w) in zip(nodes, weights) { sum += w * f(mid + 0.5 * width * x) }
            total += 0.5 * width * sum
        }
        return total
    }
}
