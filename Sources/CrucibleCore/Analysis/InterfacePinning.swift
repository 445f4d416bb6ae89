/// The statistics of interface pinning (Pedersen, J. Chem. Phys. 139, 104102 (2013)).
///
/// A solid–liquid slab under the bias κ/2 (Q − a)² sits where the bias balances the free-energy
/// slope: dG/dQ = κ(a − ⟨Q⟩). With Q linear in the number of solid atoms between the bulk values
/// Q_l (all liquid) and Q_s (all solid) of the same N atoms, dN_s/dQ = N/(Q_s − Q_l), so
///     Δμ = μ_liquid − μ_solid = κ (⟨Q⟩ − a)(Q_s − Q_l) / N   (per atom; > 0 below T_m).
/// T_m is where the straight line fitted to Δμ(T) crosses zero.
public enum InterfacePinning {
    /// Δμ = μ_l − μ_s per atom (eV) and its error from the error of ⟨Q⟩.
    public static func chemicalPotentialDifference(kappa: Double, meanQ: Double, errorQ: Double, center: Double,
                                                   solidQ: Double, liquidQ: Double, atoms: Int) -> (value: Double, error: Double) {
        let factor = kappa * (solidQ - liquidQ) / Double(atoms)
        return (factor * (meanQ - center), abs(factor) * errorQ)
    }

    /// Q of N uncorrelated positions: the mean of a Rayleigh-distributed |ρ_k|, √(π/(4N)) (a liquid
    /// with structure factor S(k) ≈ 1 at the crystal's wave vector).
    public static func liquidOrder(atoms: Int) -> Double { (Double.pi / (4 * Double(atoms))).squareRoot() }

    /// A straight line y = c0 + c1 x fitted by weighted least squares (weights 1/σ²), with the
    /// covariance of the coefficients; `root` is −c0/c1 with its error propagated from the covariance.
    public struct LineFit: Sendable, Equatable {
        public var intercept: Double, slope: Double
        public var varianceIntercept: Double, varianceSlope: Double, covariance: Double
        /// χ² of the fit and its degrees of freedom (points − 2).
        public var chiSquare: Double, degreesOfFreedom: Int

        public var root: Double { -intercept / slope }
        public var rootError: Double {
            let t = root
            return ((varianceIntercept + t * t * varianceSlope + 2 * t * covariance).squareRoot()) / abs(slope)
        }
        /// √(χ²/dof) when above 1, else 1 (the Birge ratio): points scattered beyond their error bars
        /// mean the errors are too small or the line is not straight.
        public var scatterFactor: Double {
            degreesOfFreedom > 0 ? max(1, (chiSquare / Double(degreesOfFreedom)).squareRoot()) : 1
        }
        /// `rootError` enlarged by the scatter factor: the error to quote.
        public var quotedRootError: Double { rootError * scatterFactor }
    }

    /// Weighted fit of y(x); every σ must be positive and finite (nil otherwise). x is centred on its
    /// weighted mean for the sums (at T ≈ 1300 ± 50 K the raw sums lose digits to cancellation).
    public static func fitLine(x: [Double], y: [Double], sigma: [Double]) -> LineFit? {
        guard x.count == y.count, x.count == sigma.count, Set(x).count >= 2,
              sigma.allSatisfy({ $0 > 0 && $0.isFinite }) else { return nil }
        let w = sigma.map { 1 / ($0 * $0) }
        let s = w.reduce(0, +)
        let mean = x.indices.reduce(0.0) { $0 + w[$1] * x[$1] } / s
        var sy = 0.0, suu = 0.0, suy = 0.0
        for k in x.indices {
            let u = x[k] - mean
            sy += w[k] * y[k]; suu += w[k] * u * u; suy += w[k] * u * y[k]
        }
        guard suu > 0 else { return nil }
        // y = b0 + c1 (x − mean): b0 and c1 independent, var b0 = 1/s, var c1 = 1/suu.
        let c1 = suy / suu, b0 = sy / s
        let c0 = b0 - c1 * mean
        let chi2 = x.indices.reduce(0.0) { $0 + w[$1] * (y[$1] - c0 - c1 * x[$1]) * (y[$1] - c0 - c1 * x[$1]) }
        return LineFit(intercept: c0, slope: c1, varianceIntercept: 1 / s + mean * mean / suu, varianceSlope: 1 / suu,
                       covariance: -mean / suu, chiSquare: chi2, degreesOfFreedom: x.count - 2)
    }
}
