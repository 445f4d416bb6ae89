import ArgumentParser
import CrucibleEngine
import CrucibleML
import Foundation

/// `crucible fit fit.yaml`: trains an ML model on labelled extended-XYZ frames (docs/fit.md).
struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a linear ML potential on the power spectrum from energies and forces (ridge regression).",
        discussion: "The fit file is YAML (docs/fit.md); the model file it writes is what `potential: {ml: {model: FILE}}` reads.")
    @Argument(help: "The fit file (YAML).") var fitFile: String
    @Flag(help: "No progress lines.") var quiet = false
    @Option(name: .shortAndLong, help: "Write the model here instead of the fit file's `output`.") var output: String?

    func run() throws {
        do {
            var plan = try loadFitPlan(path: fitFile)
            if let output { plan.output = URL(fileURLWithPath: output).standardizedFileURL.path }
            let frames = try readExtXYZ(path: plan.data)
            var labelled: [TrainingFrame] = []
            for (k, frame) in frames.enumerated() {
                guard frame.atomCount > 0 else { throw InputError(file: plan.data, key: "frame \(k + 1)", "a frame without atoms") }
                guard let energy = frame.info["energy"]?.double else {
                    throw InputError(file: plan.data, key: "energy", "frame \(k + 1) has no energy label")
                }
                var forces: [Double]? = nil
                if case .doubles(let f, 3)? = frame.arrays["forces"] { forces = f }
                labelled.append(TrainingFrame(configuration: try Configuration(frame: frame, file: plan.data), energy: energy, forces: forces))
            }
            let split = DataSplit(count: labelled.count, train: plan.trainFraction, validation: plan.validationFraction, seed: plan.seed)
            guard !split.training.isEmpty else { throw InputError(file: plan.fitPath, key: "split.train", "no training frames") }
            let species = plan.species ?? Array(Set(labelled.flatMap { $0.configuration.speciesTable.symbols }))
                .sorted { Element(symbol: $0)!.atomicNumber < Element(symbol: $1)!.atomicNumber }
            let d = plan.density
            let settings = DensitySettings(cutoff: d.cutoff, smoothingWidth: d.smoothing, gaussianWidth: d.width,
                                           radialCounts: d.radialPerAngular ?? [Int](repeating: d.maxRadial + 1, count: d.maxAngular + 1),
                                           radialScaling: d.scaling.map { RadialScaling(scale: $0[0], rate: $0[1], exponent: $0[2]) },
                                           centerWeight: d.centerWeight)
            for (k, frame) in labelled.enumerated() {
                for symbol in frame.configuration.speciesTable.symbols where !species.contains(symbol) {
                    throw InputError(file: plan.data, key: "frame \(k + 1)", "holds \(symbol), which the fit file's species do not list")
                }
            }
            // The normal matrix has unknowns² entries (twice in memory while solving): refuse what cannot fit.
            let channels = plan.pseudoelements?.count ?? species.count
            let perPair = settings.radialCounts.reduce(0) { $0 + $1 * $1 }
            let unknowns = species.count + (plan.sharedWeights ? 1 : species.count) * channels * (channels + 1) / 2 * perPair
            if unknowns > 20_000 {
                throw InputError(file: plan.fitPath, key: "density", "\(unknowns) unknowns (normal matrix \(unknowns * unknowns * 8 / 1_000_000_000) GB): reduce max_angular/max_radial, use weights: shared, or pseudoelements with a small count")
            }
            let workers = Workers(threads: plan.threads)
            var fitter = LinearFit(settings: settings, species: species, energyWeight: plan.energyWeight, forceWeight: plan.forceWeight,
                                   regularizations: plan.regularizations, workers: workers)
            fitter.sharedWeights = plan.sharedWeights
            print("fit: \(labelled.count) frames (train \(split.training.count), validation \(split.validation.count), test \(split.test.count)); elements \(species.joined(separator: " "))")
            if let p = plan.pseudoelements {
                let learning = PseudoelementLearning(settings: settings, species: species, count: p.count, iterations: p.iterations,
                                                     learningRate: p.learningRate, regularization: p.regularization,
                                                     sharedWeights: plan.sharedWeights, seed: plan.seed, workers: workers)
                let learned = try learning.learn(training: split.training.map { labelled[$0] }, validation: split.validation.map { labelled[$0] }) { k, train, valid in
                    guard !quiet, k % max(1, p.iterations / 10) == 0 else { return }
                    print(String(format: "  pseudoelements: iteration %d, energy RMSE train %.2f validation %.2f meV/atom", k, 1000 * train, 1000 * valid))
                    fflush(stdout)
                }
                fitter.pseudoelements = learned.pseudoelements
                print("  pseudoelements u (rows: pseudoelements, columns: \(species.joined(separator: " "))):")
                for row in learned.pseudoelements { print("    " + row.map { String(format: "%+.3f", $0) }.joined(separator: " ")) }
            }
            let start = Date()
            let outcome = try fitter.fit(training: split.training.map { labelled[$0] }, validation: split.validation.map { labelled[$0] }) { done, total in
                guard !quiet, done % max(1, total / 20) == 0 || done == total else { return }
                let elapsed = Date().timeIntervalSince(start)
                let eta = elapsed / Double(done) * Double(total - done)
                print(String(format: "  features: %d/%d frames, %.0f s, ETA %.0f s", done, total, elapsed, eta))
                fflush(stdout)
            }
            for (lambda, loss) in outcome.validationLoss {
                print(String(format: "  regularisation %.0e: validation loss %.4g%@", lambda, loss, lambda == outcome.regularization ? "  (kept)" : ""))
            }
            var training: [String: String] = ["data": plan.data, "data_fnv1a64": try dataHash(plan.data),
                                              "frames": "\(labelled.count)", "split_seed": "\(plan.seed)",
                                              "train_frames": "\(split.training.count)", "validation_frames": "\(split.validation.count)",
                                              "test_frames": "\(split.test.count)", "regularization": "\(outcome.regularization)",
                                              "loss_weights": "energy \(plan.energyWeight), forces \(plan.forceWeight)",
                                              "creator": "crucible \(CrucibleVersion.string)"]
            for (name, indices) in [("train", split.training), ("validation", split.validation), ("test", split.test)] where !indices.isEmpty {
                let errors = try FitErrors(model: outcome.model, frames: indices.map { labelled[$0] }, workers: workers)
                print("  \(name): \(errors)")
                training["errors_\(name)"] = errors.description
            }
            try ModelFile(model: outcome.model, training: training).write(to: plan.output)
            print("wrote \(plan.output)")
        } catch {
            throw fail(error)
        }
    }
}

/// FNV-1a (64 bit) of a file's bytes: identifies the training data in the model file.
func dataHash(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else { throw InputError(file: path, "cannot read") }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in data { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return String(hash, radix: 16)
}
