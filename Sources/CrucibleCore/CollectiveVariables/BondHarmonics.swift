/// The spherical harmonics of one degree l for bond vectors, with the buffers reused from bond to
/// bond: what every bond-order parameter evaluates per bond. Y_lm(d̂) for m = −l…l is
/// `value(m)` and its gradient with respect to d is `gradient(m)`, after `evaluate`.
struct BondHarmonics: Sendable {
    let degree: Int
    private let harmonics: SphericalHarmonics
    // Laid out as `SphericalHarmonics` writes them (all degrees ≤ l); only degree l is filled.
    private var values: [Double]
    private var gradients: [Double]
    private var scratch = SphericalHarmonics.Scratch()

    init(degree: Int) {
        precondition(degree >= 0 && degree % 2 == 0, "bond-order parameters of odd degree vanish for bonds counted both ways")
        self.degree = degree
        harmonics = SphericalHarmonics(maxDegree: degree)
        values = [Double](repeating: 0, count: harmonics.count)
        gradients = [Double](repeating: 0, count: 3 * harmonics.count)
    }

    /// 2l + 1, the number of orders m.
    var width: Int { 2 * degree + 1 }

    /// Y_lm of the bond d = (dx, dy, dz) ≠ 0, with the gradients when asked for.
    mutating func evaluate(_ dx: Double, _ dy: Double, _ dz: Double, gradients wanted: Bool) {
        let harmonics = self.harmonics, lowest = degree
        values.withUnsafeMutableBufferPointer { y in
            if wanted {
                gradients.withUnsafeMutableBufferPointer { g in
                    harmonics.evaluate(dx, dy, dz, values: y.baseAddress!, gradients: g.baseAddress!, scratch: &scratch, lowest: lowest)
                }
            } else {
                harmonics.evaluate(dx, dy, dz, values: y.baseAddress!, gradients: nil, scratch: &scratch, lowest: lowest)
            }
        }
    }

    /// Y_lm for the m-th order, m = 0…2l (order m − l).
    @inline(__always) func value(_ m: Int) -> Double { values[degree * degree + m] }
    /// ∂Y_lm/∂d for the m-th order.
    @inline(__always) func gradient(_ m: Int) -> (Double, Double, Double) {
        let k = 3 * (degree * degree + m)
        return (gradients[k], gradients[k + 1], gradients[k + 2])
    }
}

/// `buffer` as `count` zeros, keeping its storage when the size is unchanged (no allocation per step).
@inline(__always) func zero(_ buffer: inout [Double], count: Int) {
    if buffer.count != count {
        buffer = [Double](repeating: 0, count: count)
    } else {
        buffer.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}
