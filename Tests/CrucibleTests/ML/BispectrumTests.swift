import Foundation
import Testing
@testable import CrucibleCore
@testable import CrucibleML

/// The ν = 3 invariants: the coupling tensors are 3j symbols (unit norm, the power spectrum's
/// coupling at l3 = 0), the features are invariant under rotations and reflections, and their
/// backward pass and dense gradients match finite differences. featomic agreement: BispectrumReferenceTests.
@Suite struct BispectrumTests {
    static func bispectrum(channels: Int = 3, maxAngular: Int = 3, maxRadial: Int = 2) -> Bispectrum {
        let settings = DensitySettings(cutoff: 4.5, smoothingWidth: 0.5, gaussianWidth: 0.3, maxAngular: maxAngular, maxRadial: maxRadial)
        return Bispectrum(expansion: SphericalExpansion(settings: settings, channels: .species(Array(0..<channels))))
    }

    /// Features of every centre, and ∂E/∂r per pair of E = Σ_i w · B_i through the backward pass.
    static func evaluate(_ configuration: Configuration, _ b: Bispectrum, weights: [Double], threads: Int = 1)
        -> (features: [Double], energy: Double, forces: [Double], virial: [Double]) {
        var c = configuration
        var list = NeighborList(cutoff: b.expansion.settings.cutoff, skin: 0)
        list.update(&c)
        var rows = PairRows(cutoff: b.expansion.settings.cutoff)
        rows.build(from: list)
        let workers = Workers(threads: threads)
        var coefficients: [Double] = [], features: [Double] = []
        b.expansion.coefficients(rows: rows, species: c.species, workers: workers, into: &coefficients)
        b.features(coefficients: coefficients, atomCount: c.count, workers: workers, into: &features)
        var e = 0.0
        for i in 0..<c.count { for q in 0..<b.featureCount { e += weights[q] * features[i * b.featureCount + q] } }
        var dEdc: [Double] = [], g: [Double] = []
        b.coefficientGradients(featureGradients: (0..<c.count).flatMap { _ in weights }, coefficients: coefficients, atomCount: c.count,
                               workers: workers, into: &dEdc)
        b.expansion.pairGradients(rows: rows, species: c.species, coefficientGradients: dEdc, workers: workers, into: &g)
        var forces = [Double](repeating: 0, count: 3 * c.count)
        rows.addForces(pairGradients: g, to: &forces, workers: workers)
        return (features, e, forces, rows.virial(pairGradients: g))
    }

    @Test func couplingsAreUnitThreeJTensors() {
        var triples = 0
        for l1 in 0...4 { for l2 in l1...4 { for l3 in l2...4 where l3 <= l1 + l2 && (l1 + l2 + l3) % 2 == 0 {
            let w = RealCoupling(l1, l2, l3)
            // Σ_m (3j)² = 1, and a unitary change of basis keeps it.
            let norm = w.entries.reduce(0) { $0 + $1.value * $1.value }
            #expect(abs(norm - 1) < 1e-12, "(\(l1) \(l2) \(l3)): Σ W² = \(norm)")
            triples += 1
        } } }
        #expect(triples == 14)   // (000) (011) (022) (033) (044) (112) (123) (134) (222) (224) (233) (244) (334) (444)
        // (0 l l): W_{0 m m'} = δ_mm' (−1)^l / √(2l+1), the power spectrum's coupling.
        for l in 0...4 {
            let w = RealCoupling(0, l, l)
            #expect(w.entries.count == 2 * l + 1)
            for e in w.entries {
                #expect(e.m2 == e.m3 && abs(e.value - (l % 2 == 0 ? 1 : -1) / Double(2 * l + 1).squareRoot()) < 1e-13)
            }
        }
        // (1 1 2) by the closed form (l1 l2 l3; 0 0 0) for even sums, e.g. (1 1 2; 0 0 0) = √(2/15).
        #expect(abs(RealCoupling.threeJZero(1, 1, 2) - (2.0 / 15).squareRoot()) < 1e-15)
        #expect(abs(RealCoupling.threeJZero(2, 2, 2) + (2.0 / 35).squareRoot()) < 1e-15)
    }

    /// B(0, l, l) is the l = 0 coefficient times the power spectrum's (a1 = centre-channel slot at l = 0).
    @Test func zeroDegreeBlocksAreThePowerSpectrumTimesTheRadialDensity() {
        let b = Self.bispectrum()
        let spectrum = PowerSpectrum(expansion: b.expansion)
        let c = DensityExpansionTests.triclinic()
        var list = NeighborList(cutoff: 4.5, skin: 0)
        var copy = c
        list.update(&copy)
        var rows = PairRows(cutoff: 4.5)
        rows.build(from: list)
        var coefficients: [Double] = [], features: [Double] = [], power: [Double] = []
        b.expansion.coefficients(rows: rows, species: copy.species, workers: .serial, into: &coefficients)
        b.features(coefficients: coefficients, atomCount: c.count, workers: .serial, into: &features)
        spectrum.features(coefficients: coefficients, atomCount: c.count, workers: .serial, into: &power)
        let labels = b.properties, powerLabels = spectrum.properties, size = b.expansion.coefficientCount
        var checked = 0
        for (q, label) in labels.enumerated() where label[0] == 0 && label[1] == label[2] && label[5] <= label[7] {
            let (l, a1) = (label[1], label[3] * 3 + label[4])
            guard let k = powerLabels.firstIndex(of: [label[5], label[7], l, label[6], label[8]]) else { continue }
            let pairScale = label[5] == label[7] ? 1.0 : 2.0.squareRoot()
            for i in 0..<c.count {
                let expected = coefficients[i * size + a1] * power[i * spectrum.featureCount + k] / pairScale
                #expect(abs(features[i * b.featureCount + q] - expected) <= 1e-12 * max(1, abs(expected)))
            }
            checked += 1
        }
        #expect(checked > 100)
    }

    @Test func invariantUnderRotationsAndReflections() {
        let b = Self.bispectrum()
        let c = DensityExpansionTests.triclinic()
        var random = RandomStream(seed: 3)
        let w = (0..<b.featureCount).map { _ in random.uniform() - 0.5 }
        let reference = Self.evaluate(c, b, weights: w).features
        #expect(reference.map(abs).max()! > 1e-3)
        // A random rotation (by a quaternion), then the same with an inversion.
        var q = (0..<4).map { _ in random.normal() }
        let norm = q.reduce(0) { $0 + $1 * $1 }.squareRoot()
        q = q.map { $0 / norm }
        let (a, x, y, z) = (q[0], q[1], q[2], q[3])
        let r = [1 - 2 * (y * y + z * z), 2 * (x * y - a * z), 2 * (x * z + a * y),
                 2 * (x * y + a * z), 1 - 2 * (x * x + z * z), 2 * (y * z - a * x),
                 2 * (x * z - a * y), 2 * (y * z + a * x), 1 - 2 * (x * x + y * y)]
        for sign in [1.0, -1.0] {
            func transform(_ v: [Double]) -> [Double] {
                stride(from: 0, to: v.count, by: 3).flatMap { k in
                    (0..<3).map { row in sign * (r[3 * row] * v[k] + r[3 * row + 1] * v[k + 1] + r[3 * row + 2] * v[k + 2]) }
                }
            }
            var moved = c
            moved.positions = transform(c.positions)
            moved.cell = Cell(matrix: transform(c.cell.matrix))
            let features = Self.evaluate(moved, b, weights: w).features
            let worst = zip(features, reference).map { abs($0 - $1) }.max()!
            #expect(worst < 1e-12 * reference.map(abs).max()!, "sign \(sign): \(worst)")
        }
    }

    @Test func forcesVirialAndDenseGradientsMatchFiniteDifferences() {
        let b = Self.bispectrum(maxAngular: 3, maxRadial: 1)
        let c = DensityExpansionTests.triclinic()
        var random = RandomStream(seed: 9)
        let w = (0..<b.featureCount).map { _ in random.uniform() - 0.5 }
        let (_, _, forces, virial) = Self.evaluate(c, b, weights: w)
        let h = 1e-5
        var worst = 0.0, scale = 0.0
        for k in 0..<3 * c.count {
            var plus = c, minus = c
            plus.positions[k] += h; minus.positions[k] -= h
            let numeric = -(Self.evaluate(plus, b, weights: w).energy - Self.evaluate(minus, b, weights: w).energy) / (2 * h)
            worst = max(worst, abs(numeric - forces[k])); scale = max(scale, abs(forces[k]))
        }
        #expect(scale > 1e-3)
        #expect(worst < 1e-6 * scale, "force error \(worst) of \(scale)")
        // Virial under a symmetric strain xy of cell and positions.
        func strained(_ e: Double) -> Configuration {
            var s = c
            for k in stride(from: 0, to: s.positions.count, by: 3) { let (x, y) = (s.positions[k], s.positions[k + 1]); s.positions[k] += 0.5 * e * y; s.positions[k + 1] += 0.5 * e * x }
            for k in stride(from: 0, to: 9, by: 3) { let (x, y) = (s.cell.matrix[k], s.cell.matrix[k + 1]); s.cell.matrix[k] += 0.5 * e * y; s.cell.matrix[k + 1] += 0.5 * e * x }
            return s
        }
        let numeric = -(Self.evaluate(strained(h), b, weights: w).energy - Self.evaluate(strained(-h), b, weights: w).energy) / (2 * h)
        #expect(abs(numeric - virial[5]) < 1e-6 * max(1, abs(virial[5])), "virial xy: \(numeric) vs \(virial[5])")
        // Dense gradients contracted with the weights are the same forces.
        let calculator = FeatureCalculator(kind: .bispectrum, settings: b.expansion.settings, channels: .species([0, 1, 2]))
        let dense = calculator.compute(c, gradients: true, workers: .serial).gradients!
        var contracted = [Double](repeating: 0, count: 3 * c.count)
        for (s, sample) in dense.samples.enumerated() {
            for a in 0..<3 { for q in 0..<b.featureCount { contracted[3 * sample.atom + a] -= w[q] * dense.positions[(s * 3 + a) * b.featureCount + q] } }
        }
        let denseWorst = zip(contracted, forces).map { abs($0 - $1) }.max()!
        #expect(denseWorst < 1e-10 * scale, "dense gradients vs backward pass: \(denseWorst)")
    }

    @Test func sameBitsForAnyThreadCount() {
        let b = Self.bispectrum(maxAngular: 2, maxRadial: 1)
        let c = rattledCrystal(.fcc, a: 3.6, repeats: [2, 2, 2], symbols: ["Cu", "Ni", "Pd"], rattle: 0.1, seed: 2)
        let w = (0..<b.featureCount).map { Double($0 % 7) - 3 }
        let one = Self.evaluate(c, b, weights: w, threads: 1), two = Self.evaluate(c, b, weights: w, threads: 2)
        #expect(one.features == two.features && one.forces == two.forces && one.virial == two.virial)
    }
}
