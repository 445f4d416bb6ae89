import ArgumentParser
import CrucibleEngine
import CrucibleML
import Foundation

/// `crucible fit fit.yaml`: trains an ML model on labelled extended-XYZ frames (docs/fit.md).
struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train an ML potential from energies and forces: ridge regression of the linear parts, Adam for pseudoelements and the network.",
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
                var stress: [Double]? = nil
                if let given = frame.info["stress"] {
                    guard case .doubleArray(let values) = given, let voigt = TrainingFrame.voigt(values) else {
                        throw InputError(file: plan.data, key: "stress", "frame \(k + 1): expected 9 (3 × 3) or 6 (Voigt) numbers in eV/Å³")
                    }
                    stress = voigt
                }
                let configuration = try Configuration(frame: frame, file: plan.data)
                if stress != nil && !(configuration.cell.volume > 0) {
                    throw InputError(file: plan.data, key: "stress", "frame \(k + 1) has a stress label but no periodic cell (no volume)")
                }
                labelled.append(TrainingFrame(configuration: configuration, energy: energy, forces: forces, stress: stress))
            }
            // With a baseline, the model learns what it leaves: labels minus its energies, forces and stress.
            var original = labelled
            // One baseline per species table (its EAM files are read once, not once per frame).
            var baselines: [[String]: any Potential] = [:]
            func baselinePotential(_ baseline: BaselineBlock, _ species: SpeciesTable) throws -> any Potential {
                if let built = baselines[species.symbols] { return built }
                let built = try BaselinePotential.build(baseline, file: plan.fitPath, speciesTable: species)
                baselines[species.symbols] = built
                return built
            }
            if let baseline = plan.baseline {
                print("fit: subtracting the baseline (\(baseline.terms.count) term\(baseline.terms.count == 1 ? "" : "s")) from the labels")
                for k in labelled.indices {
                    var c = labelled[k].configuration
                    var evaluator = Evaluator(potential: try baselinePotential(baseline, c.speciesTable), skin: 0, threads: plan.threads)
                    let r = evaluator.evaluate(&c, request: [.energy, .forces, .virial])
                    labelled[k].energy -= r.energy
                    if let f = labelled[k].forces { labelled[k].forces = f.indices.map { f[$0] - r.forces[$0] } }
                    if let s = labelled[k].stress { labelled[k].stress = (0..<6).map { s[$0] + r.virial[$0] / c.cell.volume } }
                }
            } else {
                original = []
            }
            let split = DataSplit(count: labelled.count, train: plan.trainFraction, validation: plan.validationFraction, seed: plan.seed,
                                  trainingLimit: plan.trainFrames)
            guard !split.training.isEmpty else { throw InputError(file: plan.fitPath, key: "split.train", "no training frames") }
            let species = plan.species ?? Array(Set(labelled.flatMap { $0.configuration.speciesTable.elements }))
                .sorted { Element(symbol: $0)!.atomicNumber < Element(symbol: $1)!.atomicNumber }
            let d = plan.density
            let settings = DensitySettings(cutoff: d.cutoff, smoothingWidth: d.smoothing, gaussianWidth: d.width,
                                           radialCounts: d.radialPerAngular ?? [Int](repeating: d.maxRadial + 1, count: d.maxAngular + 1),
                                           radialScaling: d.scaling.map { RadialScaling(scale: $0[0], rate: $0[1], exponent: $0[2]) },
                                           centerWeight: d.centerWeight)
            for (k, frame) in labelled.enumerated() {
                for symbol in frame.configuration.speciesTable.elements where !species.contains(symbol) {
                    throw InputError(file: plan.data, key: "frame \(k + 1)", "holds \(symbol), which the fit file's species do not list")
                }
            }
            // The normal matrix has unknowns² entries (twice in memory while solving): refuse what cannot fit.
            let channels = plan.pseudoelements?.count ?? species.count
            let perPair = settings.radialCounts.reduce(0) { $0 + $1 * $1 }
            let bispectrumFeatures = plan.bispectrumRadial.map {
                Bispectrum(expansion: SphericalExpansion(settings: MLModel.bispectrumSettings(settings, radialCounts: $0), channels: .species(Array(0..<channels)))).featureCount
            } ?? 0
            let unknowns = species.count + (plan.sharedWeights ? 1 : species.count) * (channels * (channels + 1) / 2 * perPair + bispectrumFeatures)
                + species.count * species.count * (plan.pairRadial ?? 0)
            if unknowns > 20_000 {
                throw InputError(file: plan.fitPath, key: bispectrumFeatures > 0 ? "bispectrum" : "density",
                                 "\(unknowns) unknowns (\(bispectrumFeatures) bispectrum features; normal matrix \(unknowns * unknowns * 8 / 1_000_000_000) GB): reduce max_angular/max_radial, use weights: shared, or pseudoelements with a small count")
            }
            let workers = Workers(threads: plan.threads)
            var fitter = LinearFit(settings: settings, species: species, energyWeight: plan.energyWeight, forceWeight: plan.forceWeight,
                                   regularizations: plan.regularizations, workers: workers)
            fitter.sharedWeights = plan.sharedWeights
            fitter.stressWeight = plan.stressWeight
            fitter.pairRadialCount = plan.pairRadial
            fitter.pairGaussianWidth = plan.pairWidth
            fitter.pairCutoff = plan.pairCutoff
            fitter.bispectrumRadialCounts = plan.bispectrumRadial
            if bispectrumFeatures > 0 { print("  bispectrum: \(bispectrumFeatures) features (radial functions per l: \(plan.bispectrumRadial!.map(String.init).joined(separator: "/")))") }
            print("fit: \(labelled.count) frames (train \(split.training.count), validation \(split.validation.count), test \(split.test.count)); elements \(species.joined(separator: " "))")
            let stem = plan.output.hasSuffix(".json") ? String(plan.output.dropLast(5)) : plan.output
            var plots: [String] = []
            if let p = plan.pseudoelements {
                var curve: [(Double, Double)] = []
                var learning = PseudoelementLearning(settings: settings, species: species, count: p.count, iterations: p.iterations,
                                                     learningRate: p.learningRate, regularization: p.regularization,
                                                     sharedWeights: plan.sharedWeights, seed: plan.seed, workers: workers)
                learning.forceWeight = plan.forceWeight / max(plan.energyWeight, 1e-12)
                learning.forceFrames = p.forceFrames
                let learned = try learning.learn(training: split.training.map { labelled[$0] }, validation: split.validation.map { labelled[$0] }) { k, train, valid in
                    curve.append((train, valid))
                    guard !quiet, k % max(1, p.iterations / 10) == 0 else { return }
                    print(String(format: "  pseudoelements: iteration %d, energy RMSE train %.2f validation %.2f meV/atom", k, 1000 * train, 1000 * valid))
                    fflush(stdout)
                }
                fitter.pseudoelements = learned.pseudoelements
                print("  pseudoelements u (rows: pseudoelements, columns: \(species.joined(separator: " "))):")
                for row in learned.pseudoelements { print("    " + row.map { String(format: "%+.3f", $0) }.joined(separator: " ")) }
                try FitPlots.pseudoelementMap(learned.pseudoelements, species: species, path: stem + "_pseudoelements.svg")
                try FitPlots.learningCurve([("train", curve.map(\.0)), ("validation", curve.map(\.1))],
                                           title: "Pseudoelement learning (ridge weights at each u)", xLabel: "iteration",
                                           yLabel: "energy RMSE (meV/atom)", path: stem + "_pseudoelement_learning.svg")
                plots += [stem + "_pseudoelements.svg", stem + "_pseudoelement_learning.svg"]
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
            var model = outcome.model
            if let n = plan.network {
                let input: Network.Input = n.input == .powerSpectrum ? .powerSpectrum : .radialSpectrum
                print("  network: \(n.hidden) tanh units on the \(input == .powerSpectrum ? "power" : "radial") spectrum, \(n.epochs) epochs of Adam (batches of \(n.batchFrames) frames)")
                var networkFit = NetworkFit(input: input, hidden: n.hidden, epochs: n.epochs, batchFrames: n.batchFrames, learningRate: n.learningRate,
                                            energyWeight: plan.energyWeight, forceWeight: plan.forceWeight, seed: plan.seed, workers: workers)
                networkFit.stressWeight = plan.stressWeight
                let networkStart = Date()
                let trained = try networkFit.fit(model: model, training: split.training.map { labelled[$0] },
                                                 validation: split.validation.map { labelled[$0] }) { epoch, e in
                    guard !quiet, epoch % max(1, n.epochs / 20) == 0 || epoch == n.epochs else { return }
                    let elapsed = Date().timeIntervalSince(networkStart)
                    let eta = epoch == 0 ? 0 : elapsed / Double(epoch) * Double(n.epochs - epoch)
                    print(String(format: "  network: epoch %d/%d, RMSE train %.2f meV/atom %.1f meV/Å, validation %.2f meV/atom %.1f meV/Å, %.0f s, ETA %.0f s",
                                 epoch, n.epochs, 1000 * e.trainEnergy, 1000 * e.trainForces, 1000 * e.validationEnergy,
                                 1000 * e.validationForces, elapsed, eta))
                    fflush(stdout)
                }
                model = trained.model
                let h = trained.history
                try FitPlots.learningCurve([("energy, train (meV/atom)", h.map(\.trainEnergy)), ("energy, validation (meV/atom)", h.map(\.validationEnergy)),
                                            ("forces, train (meV/Å)", h.map(\.trainForces)), ("forces, validation (meV/Å)", h.map(\.validationForces))],
                                           title: "Network training (Adam)", xLabel: "epoch", yLabel: "RMSE", path: stem + "_network_learning.svg")
                plots.append(stem + "_network_learning.svg")
            }
            // The data's path relative to the model file (no machine's folders in a shipped model).
            let dataFolder = relativePath(from: (plan.output as NSString).deletingLastPathComponent, to: (plan.data as NSString).deletingLastPathComponent)
            let dataName = (plan.data as NSString).lastPathComponent
            var training: [String: String] = ["data": dataFolder == "." ? dataName : dataFolder + "/" + dataName, "data_fnv1a64": try dataHash(plan.data),
                                              "frames": "\(labelled.count)", "split_seed": "\(plan.seed)",
                                              "train_frames": "\(split.training.count)", "validation_frames": "\(split.validation.count)",
                                              "test_frames": "\(split.test.count)", "regularization": "\(outcome.regularization)",
                                              "loss_weights": "energy \(plan.energyWeight), forces \(plan.forceWeight), stress \(plan.stressWeight)",
                                              "creator": "crucible \(CrucibleVersion.string)"]
            if let baseline = plan.baseline {
                model.baseline = MLModel.Baseline(potential: baseline.text, directory: relativePath(from: (plan.output as NSString).deletingLastPathComponent,
                                                                                                    to: baseline.directory))
            }
            // Errors of what runs: the model, with its baseline, against the original labels.
            let frameModel = model
            let full: (SpeciesTable) throws -> any Potential = { species in
                let ml = try MLPotential(model: frameModel, speciesTable: species, name: "fit")
                guard let baseline = plan.baseline else { return ml }
                return PotentialSum([try baselinePotential(baseline, species), ml])
            }
            let reference = original.isEmpty ? labelled : original
            var last: (String, FitErrors)? = nil
            for (name, indices) in [("train", split.training), ("validation", split.validation), ("test", split.test)] where !indices.isEmpty {
                let errors = try FitErrors(frames: indices.map { reference[$0] }, workers: workers, potential: full)
                print("  \(name): \(errors)")
                training["errors_\(name)"] = errors.description
                last = (name, errors)
            }
            if let (name, errors) = last { plots += try FitPlots.parity(errors, split: name, stem: stem) }
            for path in plots { print("wrote \(path)") }
            try ModelFile(model: model, training: training).write(to: plan.output)
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

/// The path of `target` (a folder) relative to `base` (a folder), both absolute: "." when equal.
func relativePath(from base: String, to target: String) -> String {
    let b = URL(fileURLWithPath: base).standardizedFileURL.pathComponents, t = URL(fileURLWithPath: target).standardizedFileURL.pathComponents
    var common = 0
    while common < min(b.count, t.count) && b[common] == t[common] { common += 1 }
    let parts = [String](repeating: "..", count: b.count - common) + t[common...]
    return parts.isEmpty ? "." : parts.joined(separator: "/")
}
