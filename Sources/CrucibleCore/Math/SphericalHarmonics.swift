/// Real spherical harmonics Y_lm(r̂) of every degree l ≤ `maxDegree` and their gradients with
/// respect to the (unnormalised) vector r, for bond-order parameters (and the ML features later).
///
/// Convention: orthonormal on the sphere, with the Condon–Shortley phase (−1)^m inside P_l^m;
///   m > 0: √2 N_lm P_l^m(cos θ) cos(mφ),  m = 0: N_l0 P_l(cos θ),  m < 0: √2 N_l|m| P_l^|m|(cos θ) sin(|m|φ),
/// N_lm = √((2l+1)/(4π) (l−m)!/(l+m)!). Entry (l, m) is at index l² + l + m.
/// `condonShortleyPhase: false` drops the (−1)^m (the real harmonics of Wikipedia and featomic).
///
/// Why solid harmonics: r^l Y_lm = N_lm Q_l^m(z, r²) · Re/Im (x + iy)^m with Q_l^m a polynomial,
/// built by the associated-Legendre recurrence in homogeneous form. Everything is polynomial, so the
/// gradient is exact and has no singularity on the z axis; Y = R/r^l then follows by the quotient rule.
public struct SphericalHarmonics: Sendable {
    public let maxDegree: Int
    /// Number of (l, m) entries: (maxDegree + 1)².
    public var count: Int { (maxDegree + 1) * (maxDegree + 1) }
    /// N_lm (times √2 for m > 0), index l² + l + m for m ≥ 0.
    private let norms: [Double]

    public init(maxDegree: Int, condonShortleyPhase: Bool = true) {
        precondition(maxDegree >= 0)
        self.maxDegree = maxDegree
        var norms = [Double](repeating: 0, count: (maxDegree + 1) * (maxDegree + 1))
        for l in 0...maxDegree {
            for m in 0...l {
                var ratio = 1.0                         // (l−m)!/(l+m)!
                if m > 0 { for k in (l - m + 1)...(l + m) { ratio /= Double(k) } }
                let n = (Double(2 * l + 1) / (4 * Double.pi) * ratio).squareRoot()
                let phase = condonShortleyPhase || m % 2 == 0 ? 1.0 : -1.0
                norms[l * l + l + m] = phase * (m == 0 ? n : n * 2.0.squareRoot())
            }
        }
        self.norms = norms
    }

    /// Scratch of `evaluate`, reused across calls (no allocation per bond).
    public struct Scratch: Sendable {
        var q: [Double] = [], dqz: [Double] = [], dqt: [Double] = []
        var c: [Double] = [], s: [Double] = []
        public init() {}
    }

    /// Y_lm(r̂) for r = (x, y, z) ≠ 0 into `values` (count entries) and, when `gradients` is given,
    /// ∂Y_lm/∂(x, y, z) into it (3 per entry, entry-major). Only degrees from `lowest` on are written
    /// (a bond-order parameter needs one degree; the recurrences still run through the lower ones).
    public func evaluate(_ x: Double, _ y: Double, _ z: Double, values: UnsafeMutablePointer<Double>,
                         gradients: UnsafeMutablePointer<Double>?, scratch: inout Scratch, lowest: Int = 0) {
        let L = maxDegree, n = count
        if scratch.q.count != n {
            scratch.q = [Double](repeating: 0, count: n); scratch.dqz = scratch.q; scratch.dqt = scratch.q
            scratch.c = [Double](repeating: 0, count: L + 1); scratch.s = scratch.c
        }
        let t = x * x + y * y + z * z
        // (x + iy)^m = c_m + i s_m.
        scratch.c[0] = 1; scratch.s[0] = 0
        if L > 0 {
            for m in 1...L {
                scratch.c[m] = x * scratch.c[m - 1] - y * scratch.s[m - 1]
                scratch.s[m] = x * scratch.s[m - 1] + y * scratch.c[m - 1]
            }
        }
        // Q_l^m(z, t) with its partial derivatives in z and t = r², index l² + l + m (m ≥ 0).
        for m in 0...L {
            var diagonal = m % 2 == 0 ? 1.0 : -1.0      // (−1)^m (2m−1)!!
            if m > 1 { for k in stride(from: 1, through: 2 * m - 1, by: 2) { diagonal *= Double(k) } }
            let mm = m * m + 2 * m
            scratch.q[mm] = diagonal; scratch.dqz[mm] = 0; scratch.dqt[mm] = 0
            if m + 1 <= L {
                let k = (m + 1) * (m + 1) + m + 1 + m
                scratch.q[k] = Double(2 * m + 1) * z * diagonal
                scratch.dqz[k] = Double(2 * m + 1) * diagonal
                scratch.dqt[k] = 0
            }
            if m + 2 <= L {
                for l in (m + 2)...L {
                    let k = l * l + l + m, k1 = (l - 1) * (l - 1) + l - 1 + m, k2 = (l - 2) * (l - 2) + l - 2 + m
                    let a = Double(2 * l - 1), b = Double(l + m - 1), inv = 1 / Double(l - m)
                    scratch.q[k] = (a * z * scratch.q[k1] - b * t * scratch.q[k2]) * inv
                    scratch.dqz[k] = (a * (scratch.q[k1] + z * scratch.dqz[k1]) - b * t * scratch.dqz[k2]) * inv
                    scratch.dqt[k] = (a * z * scratch.dqt[k1] - b * (scratch.q[k2] + t * scratch.dqt[k2])) * inv
                }
            }
        }
        // R_lm = r^l Y_lm and Y_lm = R_lm / r^l.
        let r2inv = 1 / t
        var rinvL = 1.0                                  // 1/r^l
        let rinv = r2inv.squareRoot()
        for l in 0...L {
            defer { rinvL *= rinv }
            guard l >= lowest else { continue }
            for m in -l...l {
                let am = abs(m)
                let k = l * l + l + am
                let norm = norms[k], q = scratch.q[k], qz = scratch.dqz[k], qt = scratch.dqt[k]
                // The azimuthal factor and its x, y derivatives.
                let p: Double, px: Double, py: Double
                if m > 0 {
                    p = scratch.c[am]; px = Double(am) * scratch.c[am - 1]; py = -Double(am) * scratch.s[am - 1]
                } else if m < 0 {
                    p = scratch.s[am]; px = Double(am) * scratch.s[am - 1]; py = Double(am) * scratch.c[am - 1]
                } else {
                    p = 1; px = 0; py = 0
                }
                let r = norm * q * p
                let index = l * l + l + m
                values[index] = r * rinvL
                if let gradients {
                    let gx = norm * (2 * x * qt * p + q * px)
                    let gy = norm * (2 * y * qt * p + q * py)
                    let gz = norm * (qz + 2 * z * qt) * p
                    let radial = Double(l) * r * r2inv
                    gradients[3 * index] = (gx - radial * x) * rinvL
                    gradients[3 * index + 1] = (gy - radial * y) * rinvL
                    gradients[3 * index + 2] = (gz - radial * z) * rinvL
                }
            }
        }
    }
}
