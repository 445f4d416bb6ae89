import Foundation
import Testing
@testable import CrucibleCore
@testable import CrucibleML

/// Learned pseudoelements: the gradient of the projected objective against finite differences, and
/// recovery of a teacher model's accuracy from a random start (energies made by a model with known
/// pseudoelements, so a perfect u exists).
@Suite struct PseudoelementLearningTests {
    /// A small basis (24 features for two channels), so that 48 training energies determine the
    /// weights and a wrong u shows in the validation error.
    static let settings = DensitySettings(cutoff: 4.0, smoothingWidth: 0.5, gaussianWidth: 0.4, maxAngular: 1, maxRadial: 1)
    static let species = ["Ni", "Cu", "Pd", "Ag"]

    static func frames(count: Int, forces: Bool = false) throws -> [TrainingFrame] {
        let u: [[Double]] = [[0.8, 0.5, -0.3, 0.1], [-0.2, 0.4, 0.7, -0.6]]
        var random = RandomStream(seed: 5)
        let f = PowerSpectrum(expansion: SphericalExpansion(settings: settings, channels: ChannelMap(channelCount: 2, contributions: []))).featureCount
        let w = (0..<f).map { _ in random.uniform() - 0.5 }
        let teacher = MLModel(settings: settings, species: species, pseudoelements: u, offsets: [-4.4, -3.5, -3.9, -2.8],
                                  weights: species.map { _ in w })
        let patterns = [["Cu", "Ni"], ["Pd", "Ag", "Cu"], ["Ni", "Pd"], ["Ag", "Cu", "Ni", "Pd"], ["Cu"], ["Ag", "Ni"]]
        return try (0..<count).map { k in
            var c = rattledCrystal(.fcc, a: 3.7 + 0.02 * Double(k % 5), repeats: [2, 2, 2], symbols: patterns[k % patterns.count],
                                   rattle: 0.1, seed: UInt64(k + 1))
            var evaluator = Evaluator(potential: try MLPotential(model: teacher, speciesTable: c.speciesTable, name: "teacher"), skin: 0)
            let result = evaluator.evaluate(&c, request: [.energy, .forces])
            return TrainingFrame(configuration: c, energy: result.energy, forces: forces ? result.forces : nil)
        }
    }

    static func learning(iterations: Int) -> PseudoelementLearning {
        PseudoelementLearning(settings: settings, species: species, count: 2, iterations: iterations, learningRate: 0.05,
                              regularization: 1e-10, sharedWeights: true, seed: 3, workers: .serial)
    }

    @Test(arguments: [false, true]) func gradientMatchesFiniteDifferences(forces: Bool) throws {
        var learning = Self.learning(iterations: 0)
        learning.forceWeight = forces ? 0.5 : 0
        learning.forceFrames = 3
        let frames = try learning.prepare(Self.frames(count: 40, forces: forces), forces: forces)
        #expect(frames.filter { $0.forceData != nil }.count == (forces ? 3 : 0))
        let s = Self.species.count
        let full = SphericalExpansion(settings: Self.settings, channels: ChannelMap(channelCount: s, contributions: []))
        let compressed = SphericalExpansion(settings: Self.settings, channels: ChannelMap(channelCount: 2, contributions: []))
        let spectrum = PowerSpectrum(expansion: compressed)
        let u: [[Double]] = [[0.6, -0.2, 0.5, 0.3], [0.1, 0.7, -0.4, 0.2]]
        func objective(_ u: [[Double]]) -> Double {
            learning.step(frames, u: u, full: full, compressed: compressed, spectrum: spectrum, features: spectrum.featureCount).3
        }
        let gradient = learning.step(frames, u: u, full: full, compressed: compressed, spectrum: spectrum, features: spectrum.featureCount).2
        if forces {
            // The force rows change both the objective and its gradient (the check can fail).
            var energiesOnly = learning
            energiesOnly.forceWeight = 0
            let plain = energiesOnly.step(frames, u: u, full: full, compressed: compressed, spectrum: spectrum, features: spectrum.featureCount)
            #expect(objective(u) > 1.1 * plain.3)
            #expect(zip(gradient, plain.2).map { abs($0 - $1) }.max()! > 0.1 * gradient.map(abs).max()!)
        }
        let h = 1e-5
        for k in [0, 3, 5, 6] {
            var plus = u, minus = u
            plus[k / s][k % s] += h; minus[k / s][k % s] -= h
            let numeric = (objective(plus) - objective(minus)) / (2 * h)
            #expect(abs(numeric - gradient[k]) <= 1e-3 * max(abs(numeric), 1e-8), "∂L/∂u[\(k)]: \(gradient[k]) vs \(numeric)")
        }
    }

    @Test func learnsTowardsTheTeacher() throws {
        let frames = try Self.frames(count: 60)
        let outcome = try Self.learning(iterations: 400).learn(training: Array(frames[0..<48]), validation: Array(frames[48...]))
        let first = outcome.history[0], best = outcome.history.map(\.validation).min()!
        let energies = frames.map { $0.energy / Double($0.configuration.count) }
        let mean = energies.reduce(0, +) / Double(energies.count)
        let spread = (energies.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(energies.count)).squareRoot()
        #expect(first.validation > 1e-3 * spread, "a random u starts off: \(first.validation) eV/atom (energies spread \(spread))")
        // From this seed the descent ends in a local minimum at ~1/4.6 of the start (measured), not at
        // the teacher's zero: the check is that learning helps, by a clear factor.
        #expect(best < 0.33 * first.validation, "validation RMSE \(first.validation) → \(best) eV/atom")
    }
}
