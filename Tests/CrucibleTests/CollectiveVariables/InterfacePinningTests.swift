import Foundation
import Testing
@testable import CrucibleCore

/// The estimators of the melting workflow on synthetic data with a known answer.
@Suite struct InterfacePinningTests {
    /// A slab whose free energy is linear in Q, G(Q) = g Q, under the bias κ/2 (Q − a)²: Q is Gaussian
    /// with mean a − g/κ and variance k_B T/κ. The estimator must return Δμ = μ_l − μ_s = −g (Q_s − Q_l)/N
    /// within its own error bar.
    @Test func chemicalPotentialDifferenceOfALinearFreeEnergy() {
        let kappa = 80.0, center = 0.45, kT = 0.11, atoms = 4000, solidQ = 0.82, liquidQ = 0.014
        var random = RandomStream(seed: 17)
        for slope in [-3.0, -0.5, 0.0, 1.2, 4.0] {
            let samples = (0..<20_000).map { _ in center - slope / kappa + (kT / kappa).squareRoot() * random.normal() }
            let average = BlockAverage.of(samples, blocks: 10)
            let mu = InterfacePinning.chemicalPotentialDifference(kappa: kappa, meanQ: average.mean, errorQ: average.error, center: center,
                                                                 solidQ: solidQ, liquidQ: liquidQ, atoms: atoms)
            let exact = -slope * (solidQ - liquidQ) / Double(atoms)
            #expect(abs(mu.value - exact) < 4 * mu.error, "g = \(slope): Δμ \(mu.value) ± \(mu.error) vs \(exact)")
            #expect(mu.error > 0)
        }
    }

    /// Independent samples: the block error equals σ/√n on average (checked over many series).
    @Test func blockErrorOfIndependentSamples() {
        var random = RandomStream(seed: 2)
        var ratio = 0.0
        let series = 300, n = 2000, sigma = 0.7
        for _ in 0..<series {
            let samples = (0..<n).map { _ in 5 + sigma * random.normal() }
            ratio += BlockAverage.of(samples, blocks: 8).error / (sigma / Double(n).squareRoot())
        }
        // The mean of the ratio over 300 series of an estimate with 7 degrees of freedom: 0.96 ± 0.015.
        #expect(abs(ratio / Double(series) - 0.96) < 0.06, "mean ratio \(ratio / Double(series))")
    }

    /// Δμ(T) on a known line with Gaussian noise of known σ at 5 temperatures: over many synthetic
    /// data sets the fitted roots scatter around T_m with the spread the fit's error bar claims.
    @Test func meltingPointAndItsErrorFromTheFit() throws {
        let tm = 1327.0, latent = 0.121, temperatures = [1290.0, 1310, 1330, 1350, 1370], sigma = 4e-4
        var random = RandomStream(seed: 9)
        var roots: [Double] = [], claimed: [Double] = []
        for _ in 0..<2000 {
            let mu = temperatures.map { latent * (tm - $0) / tm + sigma * random.normal() }
            let fit = try #require(InterfacePinning.fitLine(x: temperatures, y: mu, sigma: [Double](repeating: sigma, count: 5)))
            roots.append(fit.root); claimed.append(fit.rootError)
        }
        let mean = roots.reduce(0, +) / Double(roots.count)
        let spread = (roots.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(roots.count - 1)).squareRoot()
        let typical = claimed.reduce(0, +) / Double(claimed.count)
        #expect(abs(mean - tm) < 4 * spread / Double(roots.count).squareRoot(), "mean root \(mean)")
        #expect(abs(typical / spread - 1) < 0.08, "claimed σ \(typical) vs scatter \(spread)")
        // With error bars 3× too small the scatter factor √(χ²/dof) restores the quoted error (on average).
        var quoted: [Double] = [], small: [Double] = []
        for _ in 0..<2000 {
            let mu = temperatures.map { latent * (tm - $0) / tm + sigma * random.normal() }
            let fit = try #require(InterfacePinning.fitLine(x: temperatures, y: mu, sigma: [Double](repeating: sigma / 3, count: 5)))
            quoted.append(fit.quotedRootError); small.append(fit.rootError)
        }
        #expect(abs(quoted.reduce(0, +) / Double(quoted.count) / spread - 0.92) < 0.1, "quoted \(quoted.reduce(0, +) / 2000) vs \(spread)")
        #expect(abs(small.reduce(0, +) / Double(small.count) / spread - 1.0 / 3) < 0.03)
        // And without noise the line is recovered exactly, with the latent heat as −slope·T_m.
        let exact = try #require(InterfacePinning.fitLine(x: temperatures, y: temperatures.map { latent * (tm - $0) / tm },
                                                          sigma: [1, 1, 1, 1, 1]))
        #expect(abs(exact.root - tm) < 1e-9 && abs(-exact.slope * exact.root - latent) < 1e-12)
    }
}
