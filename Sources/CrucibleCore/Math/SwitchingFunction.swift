/// A smooth step from 1 to 0: 1 below `inner`, ½(1 + cos(π (r − inner)/(outer − inner))) between,
/// 0 from `outer` on. Continuous with a continuous first derivative, so forces built on it are
/// continuous (the smooth cutoff of bond-order parameters).
public struct CosineSwitch: Sendable, Equatable {
    public let inner: Double
    public let outer: Double

    public init(inner: Double, outer: Double) {
        precondition(outer > inner && inner >= 0)
        self.inner = inner
        self.outer = outer
    }

    /// (value, d value / d r) at r.
    @inline(__always) public func callAsFunction(_ r: Double) -> (value: Double, slope: Double) {
        if r <= inner { return (1, 0) }
        if r >= outer { return (0, 0) }
        let w = Double.pi / (outer - inner)
        let phase = w * (r - inner)
        return (0.5 * (1 + _cos(phase)), -0.5 * w * _sin(phase))
    }
}

/// PLUMED's rational switching function s(x) = (1 − u^n)/(1 − u^m), u = (x − d0)/r0 (1 for x ≤ d0),
/// used as "more than" (1 − s) to count atoms whose order parameter exceeds a threshold.
public struct RationalSwitch: Sendable, Equatable {
    public let d0: Double
    public let r0: Double
    public let n: Int
    public let m: Int

    public init(d0: Double = 0, r0: Double, n: Int = 6, m: Int = 12) {
        precondition(r0 > 0 && n > 0 && m > n)
        self.d0 = d0; self.r0 = r0; self.n = n; self.m = m
    }

    /// (s, ds/dx) of the "less than" function at x.
    @inline(__always) public func lessThan(_ x: Double) -> (value: Double, slope: Double) {
        if x <= d0 { return (1, 0) }
        let u = (x - d0) / r0
        if abs(u - 1) < 1e-9 {
            // The removable singularity at u = 1: the limits of s and s'.
            let value = Double(n) / Double(m)
            let slope = Double(n * (n - m)) / Double(2 * m) / r0
            return (value, slope)
        }
        let un = _pow(u, Double(n)), um = _pow(u, Double(m))
        let num = 1 - un, den = 1 - um
        let dnum = -Double(n) * un / u, dden = -Double(m) * um / u
        return (num / den, (dnum * den - num * dden) / (den * den) / r0)
    }

    /// (1 − s, −ds/dx): close to 1 when x is well above d0 + r0.
    @inline(__always) public func moreThan(_ x: Double) -> (value: Double, slope: Double) {
        let s = lessThan(x)
        return (1 - s.value, -s.slope)
    }
}
