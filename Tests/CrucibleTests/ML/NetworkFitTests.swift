import Foundation
import Testing
@testable import CrucibleCore
@testable import CrucibleML

/// The network's training gradients (energy and force loss) against finite differences of the
/// loss, and training that recovers a teacher network's energies and forces.
@Suite struct NetworkFitTests {
    static func frames(_ teacher: MLModel, count: Int, seed: UInt64) throws -> [TrainingFrame] {
        try (0..<count).map { k in
            var c = rattledCrystal(.fcc, a: 3.6, repeats: [2, 1, 1], symbols: ["Cu", "Ni"], rattle: 0.15, seed: seed + UInt64(k), shear: 0.1)
            var evaluator = Evaluator(potential: try MLPotential(model: teacher, speciesTable: c.speciesTable, name: "teacher"), skin: 0, threads: 1)
            let r = evaluator.evaluate(&c, request: [.energy, .forces, .virial])
            return TrainingFrame(configuration: c, energy: r.energy, forces: r.forces, stress: (0..<6).map { -r.virial[$0] / c.cell.volume })
        }
    }

    static func teacher() -> MLModel {
        var m = MLPotentialTests.randomModel(species: ["Ni", "Cu"], pseudoelements: nil, seed: 21)
        m = MLPotentialTests.withPairAndNetwork(m, seed: 8)
        return m
    }

    @Test(arguments: Network.Input.allCases) func lossGradientMatchesFiniteDifferences(input: Network.Input) throws {
        var model = input == .radialSpectrum ? Self.teacher()
            : MLPotentialTests.withPowerSpectrumNetwork(MLPotentialTests.randomModel(species: ["Ni", "Cu"], pseudoelements: nil, seed: 21), seed: 8)
        let data = try Self.frames(model, count: 2, seed: 40)
        var trainer = NetworkFit(input: input, hidden: 6, epochs: 0, batchFrames: 2, learningRate: 0, energyWeight: 1, forceWeight: 0.3, seed: 1, workers: .serial)
        trainer.stressWeight = 2000
        // Perturb the network away from the teacher so residuals are not zero.
        var random = RandomStream(seed: 2)
        let network = model.network!
        var p = network.parameters
        for k in p.indices { p[k] += 0.1 * random.normal() }
        var perturbed = network
        perturbed.parameters = p
        model.network = nil
        let frame = try trainer.prepare(data[0], model: model)
        var gradient = [Double](repeating: 0, count: p.count)
        _ = gradient.withUnsafeMutableBufferPointer { trainer.evaluate(frame, network: perturbed, gradient: $0.baseAddress!) }
        let h = 1e-6
        var checked = 0
        for k in stride(from: 0, to: p.count, by: 7) {
            var up = perturbed, down = perturbed
            var q = p; q[k] += h; up.parameters = q
            q[k] -= 2 * h; down.parameters = q
            let fd = (trainer.evaluate(frame, network: up, gradient: nil).loss - trainer.evaluate(frame, network: down, gradient: nil).loss) / (2 * h)
            #expect(abs(fd - gradient[k]) <= 1e-5 * max(1, abs(fd)), "parameter \(k): analytic \(gradient[k]), finite difference \(fd)")
            checked += 1
        }
        #expect(checked > 10)
        #expect(gradient.contains { abs($0) > 1e-3 })
        // The stress term is in the loss and its gradient (it can make the check fail).
        var withoutStress = trainer
        withoutStress.stressWeight = 0
        var plain = [Double](repeating: 0, count: p.count)
        _ = plain.withUnsafeMutableBufferPointer { withoutStress.evaluate(frame, network: perturbed, gradient: $0.baseAddress!) }
        #expect(trainer.evaluate(frame, network: perturbed, gradient: nil).loss > 1.05 * withoutStress.evaluate(frame, network: perturbed, gradient: nil).loss)
        #expect(zip(gradient, plain).map { abs($0 - $1) }.max()! > 0.05 * gradient.map(abs).max()!)
    }

    @Test(arguments: Network.Input.allCases) func trainingLowersTheErrorsOfATeachersResidual(input: Network.Input) throws {
        let teacher = input == .radialSpectrum ? Self.teacher()
            : MLPotentialTests.withPowerSpectrumNetwork(MLPotentialTests.randomModel(species: ["Ni", "Cu"], pseudoelements: nil, seed: 21), seed: 8)
        let data = try Self.frames(teacher, count: 12, seed: 60)
        var start = teacher
        start.network = nil
        let trainer = NetworkFit(input: input, hidden: 6, epochs: 60, batchFrames: 4, learningRate: 0.01, energyWeight: 1, forceWeight: 0.3, seed: 5, workers: Workers(threads: 2))
        let (trained, history) = try trainer.fit(model: start, training: Array(data[0..<10]), validation: Array(data[10...]))
        #expect(trained.network?.input == input)
        #expect(history.count == 61)
        let first = history[0], bestValidation = history.map(\.validationForces).min()!
        #expect(bestValidation < 0.5 * first.validationForces, "validation force RMSE \(first.validationForces) → \(bestValidation)")
        #expect(history.last!.trainEnergy < first.trainEnergy)
    }
}
