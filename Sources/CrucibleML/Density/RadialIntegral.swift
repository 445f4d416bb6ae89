import Foundation

/// The radial integrals of a Gaussian neighbour density on the orthonormal GTO basis, tabulated for
/// every (l, n) as functions of the neighbour distance d:
///
///   I_nl(d) = Σ_k T_nk ∫ r² R_k(r) · A exp(−(r² + d²)/2σ²) i_l(rd/σ²) dr,
///
/// the radial part of projecting a Gaussian at distance d onto R_n(r) Y_lm(r̂) (the angular part is
/// Y_lm of the neighbour's direction), with A = 4π × the density's normalisation.
/// Values and slopes come from Gauss–Legendre quadrature at set-up (scaled Bessel functions, so no
/// overflow) and are interpolated by a cubic Hermite table with knots spaced for ~1e-10 accuracy.
public struct RadialIntegral: Sendable {
    public let radialCounts: [Int]
    /// Index of (l, n = 0) among the table's functions.
    public let offsets: [Int]
    public let table: HermiteTable

    /// The table for `settings`, computed once per process (a fit evaluates hundreds of frames and
    /// models with the same settings; the quadrature takes a fraction of a second each time).
    public static func shared(_ settings: DensitySettings) -> RadialIntegral {
        cacheLock.lock()
        if let cached = cache[settings] { cacheLock.unlock(); return cached }
        cacheLock.unlock()
        let table = RadialIntegral(settings: settings)
        cacheLock.lock(); defer { cacheLock.unlock() }
        if cache.count > 16 { cache.removeAll() }
        cache[settings] = table
        return table
    }
    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var cache: [DensitySettings: RadialIntegral] = [:]

    public init(settings: DensitySettings) {
        let counts = settings.radialCounts
        var offsets: [Int] = [], total = 0
        for n in counts { offsets.append(total); total += n }
        radialCounts = counts
        self.offsets = offsets
        let sigma = settings.gaussianWidth
        let bases = counts.map { GTORadialBasis(count: $0, radius: settings.cutoff) }
        let prefactor = 4 * Double.pi * RadialIntegral.densityNormalization(sigma)
        let L = counts.count - 1
        let rule = GaussLegendre(points: 16)
        // Knots every 0.01 σ: values to ~1e-11 of their scale (h⁴ f⁗/384), slopes to ~1e-9 (h³).
        let intervals = Int(min(40_000, max(200, (settings.cutoff / (0.01 * sigma)).rounded(.up))))
        let maxCount = counts.max()!
        table = HermiteTable(functionCount: total, upper: settings.cutoff, intervals: intervals) { d, values, slopes in
            // Raw integrals of every GTO for every l at once: one Bessel evaluation per quadrature point.
            let lo = max(0, d - 10 * sigma), hi = d + 10 * sigma
            let panels = max(4, Int(((hi - lo) / sigma).rounded(.up)))
            let width = (hi - lo) / Double(panels)
            var bessel = [Double](repeating: 0, count: L + 2), besselSlope = [Double](repeating: 0, count: L + 1)
            var raw = [Double](repeating: 0, count: (L + 1) * maxCount), rawSlope = raw
            for panel in 0..<panels {
                let mid = lo + (Double(panel) + 0.5) * width
                for (node, weight) in zip(rule.nodes, rule.weights) {
                    let r = mid + 0.5 * width * node
                    bessel.withUnsafeMutableBufferPointer { b in
                        besselSlope.withUnsafeMutableBufferPointer { s in
                            ScaledSphericalBessel.evaluate(r * d / (sigma * sigma), maxDegree: L, values: b.baseAddress!, derivatives: s.baseAddress!)
                        }
                    }
                    let common = 0.5 * width * weight * r * r * exp(-0.5 * (r - d) * (r - d) / (sigma * sigma))
                    for l in 0...L {
                        // ∂/∂d [e^{−(r²+d²)/2σ²} i_l(rd/σ²)] = e^{−(r−d)²/2σ²} (r ĩ_l' − d ĩ_l) / σ².
                        let v = common * bessel[l], s = common * (r * besselSlope[l] - d * bessel[l]) / (sigma * sigma)
                        for k in 0..<counts[l] {
                            let g = bases[l].value(k, r)
                            raw[l * maxCount + k] += v * g
                            rawSlope[l * maxCount + k] += s * g
                        }
                    }
                }
            }
            for l in 0...L {
                let basis = bases[l], n = basis.count
                for i in 0..<n {
                    var v = 0.0, s = 0.0
                    for k in 0..<n {
                        v += basis.orthonormalization[i * n + k] * raw[l * maxCount + k]
                        s += basis.orthonormalization[i * n + k] * rawSlope[l * maxCount + k]
                    }
                    values[offsets[l] + i] = prefactor * v
                    slopes[offsets[l] + i] = prefactor * s
                }
            }
        }
    }

    /// featomic's Gaussian density is normalised to one atom: (πσ²)^{−3/4} exp(−r²/2σ²) has unit
    /// L² norm (∫ g² d³r = 1).
    static func densityNormalization(_ sigma: Double) -> Double { pow(Double.pi * sigma * sigma, -0.75) }
}
