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
        let teacher = LinearModel(settings: settings, species: ["Ni", "Cu"], pseudoelements: nil,
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
}
