import Foundation
import Testing
@testable import CrucibleCore
@testable import CrucibleML

/// Building blocks of the density expansion against closed forms, and the backward pass (∂E/∂c →
/// forces and virial) against finite differences of the same power-spectrum energy.
@Suite struct DensityExpansionTests {
    @Test func scaledBesselMatchesClosedFormsOnBothBranches() {
        for x in [1e-6, 0.01, 0.3, 1.0, 4.0, 12.0, 29.9, 30.1, 80.0, 400.0] {
            let i0 = x < 1e-3 ? 1 + x * x / 6 : sinh(x) / x
            let i1 = x < 1e-3 ? x / 3 : (x * cosh(x) - sinh(x)) / (x * x)
            // i_2's closed form cancels badly at small x: checked from x = 0.3 on.
            let i2 = ((x * x + 3) * sinh(x) - 3 * x * cosh(x)) / (x * x * x)
            for (l, exact) in [(0, i0), (1, i1), (2, i2)] where l < 2 || x >= 0.3 {
                let scaledExact = x > 300 ? nil : exact * exp(-x)
                let value = ScaledSphericalBessel.scaled(l, x)
                if let scaledExact { #expect(abs(value - scaledExact) <= 1e-12 * max(1, scaledExact), "l \(l) x \(x)") }
            }
        }
        // The two branches meet: series and closed form agree where both are accurate.
        for l in 0...8 {
            for x in [30.0, 60.0, 150.0] where x >= Double(l * (l + 1)) {
                let a = ScaledSphericalBessel.series(l, x), b = ScaledSphericalBessel.closedForm(l, x)
                #expect(abs(a - b) <= 1e-12 * a, "l \(l) x \(x): \(a) vs \(b)")
            }
        }
    }

    @Test func gaussLegendreIsExactForPolynomials() {
        let rule = GaussLegendre(points: 8)
        let integral = rule.integrate(from: 0, to: 2, panels: 3) { x in pow(x, 15) - 3 * x * x }
        #expect(abs(integral - (pow(2, 16) / 16 - 8)) < 1e-9)
    }

    @Test func orthonormalizedGTOsAreOrthonormal() {
        let basis = GTORadialBasis(count: 6, radius: 4.5)
        let rule = GaussLegendre(points: 20)
        for a in 0..<6 {
            for b in 0..<6 {
                let overlap = rule.integrate(from: 0, to: 30, panels: 30) { r in
                    var fa = 0.0, fb = 0.0
                    for k in 0..<6 {
                        fa += basis.orthonormalization[a * 6 + k] * basis.value(k, r)
                        fb += basis.orthonormalization[b * 6 + k] * basis.value(k, r)
                    }
                    return fa * fb * r * r
                }
                #expect(abs(overlap - (a == b ? 1 : 0)) < 1e-9)
            }
        }
    }

    /// A small triclinic three-species cell, smaller than twice the cutoff.
    static func triclinic() -> Configuration {
        var table = SpeciesTable()
        for s in ["Cu", "Ni", "Pd"] { _ = table.add(s) }
        let cell = Cell(matrix: [5.1, 0, 0, 1.2, 4.9, 0, 0.7, 1.1, 5.3])
        let fractional: [[Double]] = [[0.1, 0.2, 0.05], [0.55, 0.1, 0.3], [0.3, 0.6, 0.5], [0.8, 0.7, 0.15],
                                      [0.2, 0.9, 0.8], [0.65, 0.4, 0.75]]
        var positions: [Double] = []
        for f in fractional {
            for c in 0..<3 { positions.append(f[0] * cell.matrix[c] + f[1] * cell.matrix[3 + c] + f[2] * cell.matrix[6 + c]) }
        }
        return Configuration(cell: cell, positions: positions, species: [0, 1, 2, 0, 1, 2], speciesTable: table)
    }

    /// E = Σ_i w · p_i with fixed weights, its forces and virial through the backward pass.
    static func energy(_ configuration: Configuration, _ spectrum: PowerSpectrum, weights: [Double],
                       threads: Int = 1) -> (Double, [Double], [Double]) {
        var c = configuration
        var list = NeighborList(cutoff: spectrum.expansion.settings.cutoff, skin: 0)
        list.update(&c)
        var rows = PairRows(cutoff: spectrum.expansion.settings.cutoff)
        rows.build(from: list)
        let workers = Workers(threads: threads)
        var coefficients: [Double] = [], features: [Double] = []
        spectrum.expansion.coefficients(rows: rows, species: c.species, workers: workers, into: &coefficients)
        spectrum.features(coefficients: coefficients, atomCount: c.count, workers: workers, into: &features)
        var e = 0.0
        for i in 0..<c.count { for q in 0..<spectrum.featureCount { e += weights[q] * features[i * spectrum.featureCount + q] } }
        let dEdp = (0..<c.count).flatMap { _ in weights }
        var dEdc: [Double] = [], g: [Double] = []
        spectrum.coefficientGradients(featureGradients: dEdp, coefficients: coefficients, atomCount: c.count, workers: workers, into: &dEdc)
        spectrum.expansion.pairGradients(rows: rows, species: c.species, coefficientGradients: dEdc, workers: workers, into: &g)
        var forces = [Double](repeating: 0, count: 3 * c.count)
        rows.addForces(pairGradients: g, to: &forces, workers: workers)
        return (e, forces, rows.virial(pairGradients: g))
    }

    static func spectrum(scaling: RadialScaling? = nil) -> PowerSpectrum {
        let settings = DensitySettings(cutoff: 4.5, smoothingWidth: 0.5, gaussianWidth: 0.3, maxAngular: 4, maxRadial: 5,
                                       radialScaling: scaling)
        return PowerSpectrum(expansion: SphericalExpansion(settings: settings, channels: .species([0, 1, 2])))
    }

    static func weights(_ count: Int) -> [Double] {
        var random = RandomStream(seed: 7, stream: 0)
        return (0..<count).map { _ in random.uniform() - 0.5 }
    }

    @Test(arguments: [false, true]) func forcesAndVirialMatchFiniteDifferences(scaled: Bool) {
        let spectrum = Self.spectrum(scaling: scaled ? RadialScaling(scale: 2, rate: 1, exponent: 4) : nil)
        let w = Self.weights(spectrum.featureCount)
        let c = Self.triclinic()
        let (_, forces, virial) = Self.energy(c, spectrum, weights: w)
        let h = 1e-5
        var worst = 0.0, scale = 0.0
        for k in 0..<3 * c.count {
            var plus = c, minus = c
            plus.positions[k] += h; minus.positions[k] -= h
            let numeric = -(Self.energy(plus, spectrum, weights: w).0 - Self.energy(minus, spectrum, weights: w).0) / (2 * h)
            worst = max(worst, abs(numeric - forces[k])); scale = max(scale, abs(forces[k]))
        }
        #expect(scale > 1e-3)
        #expect(worst < 1e-6 * scale, "force error \(worst) of \(scale)")
        // Virial: −∂E/∂ε under a homogeneous strain of cell and positions.
        for v in 0..<6 {
            func strained(_ e: Double) -> Configuration {
                var s = c
                let (r, q) = v < 3 ? (v, v) : (v == 3 ? (1, 2) : (v == 4 ? (0, 2) : (0, 1)))
                func apply(_ x: inout [Double], _ count: Int) {
                    for i in 0..<count {
                        let old = (x[3 * i + r], x[3 * i + q])
                        if r == q { x[3 * i + r] += e * old.0 } else { x[3 * i + r] += 0.5 * e * old.1; x[3 * i + q] += 0.5 * e * old.0 }
                    }
                }
                apply(&s.positions, c.count)
                apply(&s.cell.matrix, 3)
                return s
            }
            let numeric = -(Self.energy(strained(h), spectrum, weights: w).0 - Self.energy(strained(-h), spectrum, weights: w).0) / (2 * h)
            #expect(abs(numeric - virial[v]) < 1e-6 * max(1, abs(virial[v])), "virial \(v): \(numeric) vs \(virial[v])")
        }
    }

    /// Channels of elements absent from a frame stay (empty), so every frame has the same features.
    @Test func featuresKeepEveryChannelInEveryFrame() {
        let settings = DensitySettings(cutoff: 4.0, smoothingWidth: 0.5, gaussianWidth: 0.4, maxAngular: 2, maxRadial: 2)
        let copper = rattledCrystal(.fcc, a: 3.6, repeats: [2, 2, 2], symbols: ["Cu"], rattle: 0.05, seed: 1)
        let alloy = rattledCrystal(.fcc, a: 3.6, repeats: [2, 2, 2], symbols: ["Ni", "Cu"], rattle: 0.05, seed: 1)
        // Channels Ni, Cu, Pd (the frames' own species tables differ).
        let one = FeatureCalculator(kind: .powerSpectrum, settings: settings, channels: .species([1], count: 3))
        let two = FeatureCalculator(kind: .powerSpectrum, settings: settings, channels: .species([0, 1], count: 3))
        #expect(one.featureCount == two.featureCount && one.featureCount == 6 * 27)
        let values = one.compute(copper, gradients: false, workers: .serial).values
        #expect(values.count == copper.count * one.featureCount)
        // Only the (Cu, Cu) block is non-zero for pure copper.
        let cuCu = one.properties.indices.filter { one.properties[$0][0] == 1 && one.properties[$0][1] == 1 }
        #expect(values.indices.allSatisfy { cuCu.contains($0 % one.featureCount) || values[$0] == 0 })
        #expect(two.compute(alloy, gradients: false, workers: .serial).values.count == alloy.count * two.featureCount)
    }

    @Test func sameBitsForAnyThreadCount() {
        let spectrum = Self.spectrum()
        let w = Self.weights(spectrum.featureCount)
        let one = Self.energy(Self.triclinic(), spectrum, weights: w, threads: 1)
        let two = Self.energy(Self.triclinic(), spectrum, weights: w, threads: 2)
        #expect(one.0 == two.0 && one.1 == two.1 && one.2 == two.2)
    }
}
