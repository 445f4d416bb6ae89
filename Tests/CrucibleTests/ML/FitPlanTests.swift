import Foundation
import Testing
@testable import CrucibleIO
@testable import CrucibleML

/// The fit file's decoder: every key reaches the plan, and mistakes are reported with their key.
@Suite struct FitPlanTests {
    /// Writes `text` as fit.yaml beside a one-frame data file; returns the fit file's path.
    static func fitFile(_ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crucible-fitplan-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "1\nLattice=\"3 0 0 0 3 0 0 0 3\" Properties=species:S:1:pos:R:3 energy=-1.0 pbc=\"T T T\"\nCu 0 0 0\n"
            .write(toFile: folder + "/data.xyz", atomically: true, encoding: .utf8)
        try text.write(toFile: folder + "/fit.yaml", atomically: true, encoding: .utf8)
        return folder + "/fit.yaml"
    }

    @Test func readsEveryKey() throws {
        let plan = try loadFitPlan(path: try Self.fitFile("""
            data: data.xyz
            density: {cutoff: 5.0, smoothing: 0.8, width: 0.4, max_angular: 3, max_radial: 4, center_weight: 0.5}
            species: [Cu, Ni]
            weights: shared
            pseudoelements: {count: 2, iterations: 10, learning_rate: 0.01, regularization: 1e-5, force_frames: 5}
            pair: {radial: 7, width: 0.25, cutoff: 6.0}
            bispectrum: {max_angular: 1, max_radial: 1}
            network: {input: power_spectrum, hidden: 12, epochs: 30, batch: 8, learning_rate: 0.004}
            split: {train: 0.7, validation: 0.2, seed: 9, train_frames: 40}
            loss: {energy: 2.0, forces: 0.5, stress: 3.0}
            regularization: [1e-6, 1e-3]
            output: out.json
            threads: 2
            """))
        #expect(plan.density.cutoff == 5 && plan.density.maxRadial == 4 && plan.density.centerWeight == 0.5)
        #expect(plan.species == ["Cu", "Ni"] && plan.sharedWeights)
        #expect(plan.pseudoelements == FitPlan.Pseudoelements(count: 2, iterations: 10, learningRate: 0.01, regularization: 1e-5, forceFrames: 5))
        #expect(plan.pairRadial == 7 && plan.pairWidth == 0.25 && plan.pairCutoff == 6 && plan.bispectrumRadial == [2, 2])
        #expect(plan.network == FitPlan.Network(input: .powerSpectrum, hidden: 12, epochs: 30, batchFrames: 8, learningRate: 0.004))
        #expect(plan.trainFraction == 0.7 && plan.validationFraction == 0.2 && plan.seed == 9 && plan.trainFrames == 40)
        #expect(plan.energyWeight == 2 && plan.forceWeight == 0.5 && plan.stressWeight == 3)
        #expect(plan.regularizations == [1e-6, 1e-3] && plan.output.hasSuffix("/out.json") && plan.threads == 2)
    }

    @Test func defaultsWithoutTheOptionalBlocks() throws {
        let plan = try loadFitPlan(path: try Self.fitFile("data: data.xyz\ndensity: {cutoff: 4.0}\n"))
        #expect(plan.pairRadial == nil && plan.network == nil && plan.pseudoelements == nil && plan.bispectrumRadial == nil)
        let small = try loadFitPlan(path: try Self.fitFile("data: data.xyz\ndensity: {cutoff: 4.0}\nbispectrum: {}\n"))
        #expect(small.bispectrumRadial == [3, 3, 3])
        let perAngular = try loadFitPlan(path: try Self.fitFile("data: data.xyz\ndensity: {cutoff: 4.0}\nbispectrum: {radial_per_angular: [4, 2, 1]}\n"))
        #expect(perAngular.bispectrumRadial == [4, 2, 1])
        #expect(plan.stressWeight == 1 && plan.forceWeight == 0.1)
    }

    /// A network on the power spectrum needs no pair term; the default input is the radial spectrum.
    @Test func networkInputs() throws {
        let power = try loadFitPlan(path: try Self.fitFile("data: data.xyz\ndensity: {cutoff: 4.0}\nnetwork: {input: power_spectrum}\n"))
        #expect(power.network?.input == .powerSpectrum && power.pairRadial == nil)
        let radial = try loadFitPlan(path: try Self.fitFile("data: data.xyz\ndensity: {cutoff: 4.0}\npair: {radial: 4}\nnetwork: {hidden: 4}\n"))
        #expect(radial.network?.input == .radialSpectrum)
    }

    @Test(arguments: [
        ("density: {cutoff: 4.0}\nnetwork: {hidden: 8}\n", "network"),
        ("density: {cutoff: 4.0}\npair: {radial: 17}\n", "pair"),
        ("density: {cutoff: 4.0}\npair: {radial: 6, width: 9}\n", "pair"),
        ("density: {cutoff: 4.0}\npair: {radial: 6, widht: 0.3}\n", "widht"),
        ("density: {cutoff: 4.0}\nloss: {stress: -1}\n", "stress"),
        ("density: {cutoff: 4.0}\npair: {radial: 6}\nnetwork: {hidden: 0}\n", "hidden"),
        ("density: {cutoff: 4.0}\npair: {radial: 6}\nnetwork: {epochs: 0}\n", "epochs"),
        ("density: {cutoff: 4.0}\nnetwork: {input: bispectrum}\n", "network.input"),
        ("density: {cutoff: 4.0}\nbispectrum: {max_angular: 9}\n", "bispectrum"),
        ("density: {cutoff: 4.0, smoothing: 0.5}\npair: {radial: 4, cutoff: 0.4}\n", "pair.cutoff"),
        ("density: {cutoff: 4.0, smoothing: 1.0}\npair: {radial: 4, cutoff: 0.8}\n", "smoothing width"),
        ("density: {cutoff: 4.0}\npseudoelements: {count: 2}\nloss: {energy: 0, forces: 1}\n", "loss.energy"),
        ("density: {cutoff: 4.0}\nbispectrum: {radial_per_angular: [4, 0]}\n", "radial_per_angular"),
        ("density: {cutoff: 4.0}\nbaseline: {ml: {model: m.json}}\n", "baseline"),
    ]) func reportsMistakesWithTheirKey(body: String, key: String) throws {
        let path = try Self.fitFile("data: data.xyz\n" + body)
        do {
            _ = try loadFitPlan(path: path)
            Issue.record("accepted: \(body)")
        } catch {
            #expect("\(error)".contains(key), "\(error)")
            #expect("\(error)".contains("fit.yaml"), "\(error)")
        }
    }

    /// A learning-curve point keeps the validation and test frames and trains on a subset.
    @Test func trainingLimitKeepsValidationAndTest() {
        let all = DataSplit(count: 200, train: 0.8, validation: 0.1, seed: 4)
        let some = DataSplit(count: 200, train: 0.8, validation: 0.1, seed: 4, trainingLimit: 30)
        #expect(some.validation == all.validation && some.test == all.test)
        #expect(some.training.count == 30 && Set(some.training).isSubset(of: Set(all.training)))
        #expect(some.training != Array(all.training.prefix(30)))   // a random subset, not the file's first frames
    }

    /// The plots `crucible fit` writes: every point drawn, values ≤ 0 left off a log axis (no NaN in the file).
    @Test func svgPlotDrawsPointsAndSkipsNonPositiveOnLogAxes() {
        var plot = SVGPlot(title: "t <1>", xLabel: "x", yLabel: "y")
        plot.series = [.init(name: "a", points: [(0, 1), (1, 0.1), (2, 0)], style: .line, color: "#000"),
                       .init(name: "b", points: [(0, 2), (1, 3)], style: .points, color: "#111")]
        plot.logY = true
        let svg = plot.svg
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        #expect(!svg.lowercased().contains("nan") && !svg.contains("inf"))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 2)
        #expect(svg.contains("t &lt;1&gt;"))
        let polyline = svg.components(separatedBy: "points=\"")[1].components(separatedBy: "\"")[0]
        #expect(polyline.split(separator: " ").count == 2)   // (2, 0) is left off
    }
}
