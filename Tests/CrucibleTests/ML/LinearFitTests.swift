import Foundation
import Testing
@testable import CrucibleCore
@testable import CrucibleML

/// The fit recovers a model that generated its labels (teacher–student with the same features):
/// energies and forces of held-out frames to ~1e-7, which fails if any row, sign or scale of the
/// normal equations is wrong.
@Suite struct LinearFitTests {
    @Test func recoversTheTeacherModel() throws {
        let settings = DensitySettings(cutoff: 4.0, smoothingWidth: 0.5, gaussianWidth: 0.4, maxAngular: 2, maxRadial: 2)
        var random = RandomStream(seed: 5)
        let f = PowerSpectrum(expansion: SphericalExpansion(settings: settings, channels: .species([0, 1]))).featureCount
        let teacher = MLModel(settings: settings, species: ["Ni", "Cu"], pseudoelements: nil,
                                  offsets: [-4.4, -3.5],
                                  weights: (0..<2).map { _ in (0..<f).map { _ in 0.05 * (random.uniform() - 0.5) } })
        var frames: [TrainingFrame] = []
        for k in 0..<16 {
            var c = rattledCrystal(.fcc, a: 3.55 + 0.01 * Double(k % 4), repeats: [2, 2, 2], symbols: k % 3 == 0 ? ["Cu"] : ["Cu", "Ni", "Cu"],
                                   rattle: 0.15, seed: UInt64(k + 1))
            let potential = try MLPotential(model: teacher, speciesTable: c.speciesTable, name: "teacher")
            var evaluator = Evaluator(potential: potential, skin: 0)
            let result = evaluator.evaluate(&c, request: [.energy, .forces])
            frames.append(TrainingFrame(configuration: c, energy: result.energy, forces: result.forces))
        }
        let split = DataSplit(count: frames.count, train: 0.75, validation: 0.125, seed: 3)
        #expect(split.training.count == 12 && split.validation.count == 2 && split.test.count == 2)
        let fit = LinearFit(settings: settings, species: ["Ni", "Cu"], energyWeight: 1, forceWeight: 0.1,
                            regularizations: [1e-12, 1e-3], workers: .serial)
        let outcome = try fit.fit(training: split.training.map { frames[$0] }, validation: split.validation.map { frames[$0] })
        #expect(outcome.regularization == 1e-12)
        let errors = try FitErrors(model: outcome.model, frames: split.test.map { frames[$0] }, workers: .serial)
        #expect(errors.energyRMSE < 1e-7 && errors.forceRMSE < 1e-6, "\(errors)")
        // The heavily regularised fit is measurably worse: the check can fail.
        #expect(outcome.validationLoss[1].loss > 100 * outcome.validationLoss[0].loss)
    }

    /// A teacher with a pair term, labelled with stress in ASE's convention (σ = −W/V): the fit with
    /// a pair term and stress rows recovers energies, forces and stress; the same labels with the
    /// stress sign flipped cannot be fitted (the stress rows are used, with ASE's sign).
    @Test func recoversAPairTermAndStress() throws {
        let settings = DensitySettings(cutoff: 4.0, smoothingWidth: 0.5, gaussianWidth: 0.4, maxAngular: 1, maxRadial: 1)
        var random = RandomStream(seed: 6)
        let f = PowerSpectrum(expansion: SphericalExpansion(settings: settings, channels: .species([0, 1]))).featureCount
        let teacher = MLModel(settings: settings, species: ["Ni", "Cu"], pseudoelements: nil, offsets: [-4.4, -3.5],
                              weights: (0..<2).map { _ in (0..<f).map { _ in 0.05 * (random.uniform() - 0.5) } },
                              pair: .init(radialCount: 4, weights: (0..<2).map { _ in (0..<8).map { _ in 0.3 * (random.uniform() - 0.5) } }))
        var frames: [TrainingFrame] = [], flipped: [TrainingFrame] = []
        for k in 0..<16 {
            var c = rattledCrystal(.fcc, a: 3.5 + 0.03 * Double(k % 4), repeats: [2, 1, 1], symbols: ["Cu", "Ni"], rattle: 0.12,
                                   seed: UInt64(k + 30), shear: 0.1)
            var evaluator = Evaluator(potential: try MLPotential(model: teacher, speciesTable: c.speciesTable, name: "teacher"), skin: 0)
            let result = evaluator.evaluate(&c, request: [.energy, .forces, .virial])
            let stress = (0..<6).map { -result.virial[$0] / c.cell.volume }
            frames.append(TrainingFrame(configuration: c, energy: result.energy, forces: result.forces, stress: stress))
            flipped.append(TrainingFrame(configuration: c, energy: result.energy, forces: result.forces, stress: stress.map { -$0 }))
        }
        #expect(frames.contains { $0.stress!.map(abs).max()! > 1e-3 })
        var fit = LinearFit(settings: settings, species: ["Ni", "Cu"], energyWeight: 1, forceWeight: 0.1, regularizations: [1e-12], workers: .serial)
        fit.pairRadialCount = 4
        fit.stressWeight = 100
        let outcome = try fit.fit(training: Array(frames[0..<14]), validation: [])
        #expect(outcome.model.pair?.weights.count == 2)
        let errors = try FitErrors(model: outcome.model, frames: Array(frames[14...]), workers: .serial)
        #expect(errors.energyRMSE < 1e-7 && errors.forceRMSE < 1e-6 && errors.stressRMSE < 1e-8, "\(errors)")
        let wrong = try FitErrors(model: try fit.fit(training: Array(flipped[0..<14]), validation: []).model, frames: Array(flipped[14...]), workers: .serial)
        #expect(wrong.stressRMSE > 1e-4, "\(wrong)")
    }

    /// A teacher with a bispectrum term (4-body) on two pseudoelements: the fit with the term recovers
    /// energies, forces and stress; without it the same data cannot be fitted (the term is used).
    @Test func recoversABispectrumTerm() throws {
        let settings = DensitySettings(cutoff: 4.0, smoothingWidth: 0.5, gaussianWidth: 0.4, maxAngular: 1, maxRadial: 1)
        var random = RandomStream(seed: 8)
        let u = [[1.0, 0.3], [-0.2, 0.9]]
        let channels = ChannelMap.species([0, 1])
        let f = PowerSpectrum(expansion: SphericalExpansion(settings: settings, channels: channels)).featureCount
        let radialCounts = [2, 1, 1]
        let b3 = Bispectrum(expansion: SphericalExpansion(settings: MLModel.bispectrumSettings(settings, radialCounts: radialCounts), channels: channels)).featureCount
        var teacher = MLModel(settings: settings, species: ["Ni", "Cu"], pseudoelements: u, offsets: [-4.4, -3.5],
                              weights: (0..<2).map { _ in (0..<f).map { _ in 0.05 * (random.uniform() - 0.5) } })
        teacher.bispectrum = .init(radialCounts: radialCounts, weights: (0..<2).map { _ in (0..<b3).map { _ in 2 * (random.uniform() - 0.5) } })
        var frames: [TrainingFrame] = []
        for k in 0..<24 {
            var c = rattledCrystal(.fcc, a: 3.5 + 0.03 * Double(k % 4), repeats: [2, 1, 1], symbols: ["Cu", "Ni"], rattle: 0.12,
                                   seed: UInt64(k + 50), shear: 0.1)
            var evaluator = Evaluator(potential: try MLPotential(model: teacher, speciesTable: c.speciesTable, name: "teacher"), skin: 0)
            let result = evaluator.evaluate(&c, request: [.energy, .forces, .virial])
            frames.append(TrainingFrame(configuration: c, energy: result.energy, forces: result.forces, stress: (0..<6).map { -result.virial[$0] / c.cell.volume }))
        }
        var fit = LinearFit(settings: settings, species: ["Ni", "Cu"], energyWeight: 1, forceWeight: 0.1, regularizations: [1e-12], workers: .serial)
        fit.pseudoelements = u
        fit.stressWeight = 100
        let without = try FitErrors(model: try fit.fit(training: Array(frames[0..<20]), validation: []).model, frames: Array(frames[20...]), workers: .serial)
        fit.bispectrumRadialCounts = radialCounts
        let outcome = try fit.fit(training: Array(frames[0..<20]), validation: [])
        #expect(outcome.model.bispectrum?.weights.first?.count == b3)
        let errors = try FitErrors(model: outcome.model, frames: Array(frames[20...]), workers: .serial)
        #expect(errors.energyRMSE < 1e-7 && errors.forceRMSE < 1e-6 && errors.stressRMSE < 1e-8, "\(errors)")
        #expect(without.forceRMSE > 1e-3, "without the bispectrum term: \(without)")
    }
}
