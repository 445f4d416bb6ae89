import Foundation
import Testing
@testable import CrucibleCore
@testable import CrucibleML

/// The ML potential through the shared checker (forces, virial, per-atom energies, invariances,
/// thread independence), on species channels and on pseudoelements.
@Suite struct MLPotentialTests {
    static func randomModel(species: [String], pseudoelements: Int?, seed: UInt64) -> MLModel {
        let settings = DensitySettings(cutoff: 4.2, smoothingWidth: 0.6, gaussianWidth: 0.4, maxAngular: 3, maxRadial: 3)
        var random = RandomStream(seed: seed)
        let u = pseudoelements.map { d in (0..<d).map { _ in species.map { _ in random.uniform() - 0.5 } } }
        let channels = u?.count ?? species.count
        let features = PowerSpectrum(expansion: SphericalExpansion(settings: settings, channels: .species(Array(0..<channels)))).featureCount
        return MLModel(settings: settings, species: species, pseudoelements: u,
                           offsets: species.map { _ in random.uniform() - 3 },
                           weights: species.map { _ in (0..<features).map { _ in 0.02 * (random.uniform() - 0.5) } })
    }

    @Test(arguments: [nil, 2] as [Int?]) func passesThePotentialChecker(pseudoelements: Int?) throws {
        let c = rattledCrystal(.fcc, a: 3.6, repeats: [2, 2, 2], symbols: ["Cu", "Ni", "Pd"], rattle: 0.12, seed: 4, shear: 0.3)
        let model = Self.randomModel(species: ["Ni", "Cu", "Pd", "Pt"], pseudoelements: pseudoelements, seed: 11)
        let potential = try MLPotential(model: model, speciesTable: c.speciesTable, name: "random.model")
        PotentialChecker(potential: potential).check(c)
        // Local energies: swap and transmutation ΔE from environments equal global ΔE to 1e-10 eV.
        PotentialChecker(potential: potential).checkSwap(c, 0, 1, trials: 60)
    }

    /// A random pair term (5 radial functions) and network (6 tanh units) on top of `model`.
    static func withPairAndNetwork(_ model: MLModel, seed: UInt64) -> MLModel {
        var random = RandomStream(seed: seed)
        let s = model.species.count, radial = 5, inputs = s * radial, hidden = 6
        var m = model
        m.pair = MLModel.PairTerm(radialCount: radial, weights: (0..<s).map { _ in (0..<inputs).map { _ in 0.05 * (random.uniform() - 0.5) } })
        m.network = Network(hidden: hidden, inputs: inputs, elements: s,
                            shift: (0..<inputs).map { _ in 0.3 * random.uniform() }, scale: (0..<inputs).map { _ in 0.5 + random.uniform() },
                            inputWeights: (0..<(hidden * (inputs + s))).map { _ in random.normal() * 0.4 },
                            hiddenBias: (0..<hidden).map { _ in 0.1 * random.normal() }, outputWeights: (0..<hidden).map { _ in 0.2 * random.normal() })
        return m
    }

    /// A random network (6 tanh units) on the power spectrum of `model`.
    static func withPowerSpectrumNetwork(_ model: MLModel, seed: UInt64) -> MLModel {
        var random = RandomStream(seed: seed)
        let s = model.species.count, inputs = model.weights[0].count, hidden = 6
        var m = model
        m.network = Network(input: .powerSpectrum, hidden: hidden, inputs: inputs, elements: s,
                            shift: (0..<inputs).map { _ in 0.01 * random.normal() }, scale: (0..<inputs).map { _ in 0.02 + 0.05 * random.uniform() },
                            inputWeights: (0..<(hidden * (inputs + s))).map { _ in random.normal() / Double(inputs).squareRoot() },
                            hiddenBias: (0..<hidden).map { _ in 0.1 * random.normal() }, outputWeights: (0..<hidden).map { _ in 0.2 * random.normal() })
        return m
    }

    @Test(arguments: [nil, 2] as [Int?]) func powerSpectrumNetworkPassesThePotentialChecker(pseudoelements: Int?) throws {
        let c = rattledCrystal(.fcc, a: 3.6, repeats: [2, 2, 2], symbols: ["Cu", "Ni", "Pd"], rattle: 0.12, seed: 7, shear: 0.3)
        let model = Self.withPowerSpectrumNetwork(Self.randomModel(species: ["Ni", "Cu", "Pd", "Pt"], pseudoelements: pseudoelements, seed: 13), seed: 4)
        let potential = try MLPotential(model: model, speciesTable: c.speciesTable, name: "random.model")
        PotentialChecker(potential: potential).check(c)
        PotentialChecker(potential: potential).checkSwap(c, 0, 1, trials: 40)
        // The network changes the energy, and not by a constant (its tanh units are not saturated).
        var plain = model
        plain.network = nil
        var linear = Evaluator(potential: try MLPotential(model: plain, speciesTable: c.speciesTable, name: "m"), skin: 0, threads: 1)
        var full = Evaluator(potential: potential, skin: 0, threads: 1)
        var a = c, b = c
        let withNetwork = full.evaluate(&a, request: [.energy, .forces]), without = linear.evaluate(&b, request: [.energy, .forces])
        #expect(abs(withNetwork.energy - without.energy) > 1e-3)
        #expect(zip(withNetwork.forces, without.forces).map { abs($0 - $1) }.max()! > 1e-3)
    }

    /// A random bispectrum term (l ≤ 2, radial 2/2/1) on top of `model`.
    static func withBispectrum(_ model: MLModel, seed: UInt64) -> MLModel {
        var random = RandomStream(seed: seed)
        let counts = [2, 2, 1]
        let features = Bispectrum(expansion: SphericalExpansion(settings: MLModel.bispectrumSettings(model.settings, radialCounts: counts),
                                                                channels: .species(Array(0..<model.channelCount)))).featureCount
        var m = model
        m.bispectrum = .init(radialCounts: counts, weights: model.species.map { _ in (0..<features).map { _ in random.uniform() - 0.5 } })
        return m
    }

    @Test(arguments: [nil, 2] as [Int?]) func bispectrumTermPassesThePotentialChecker(pseudoelements: Int?) throws {
        let c = rattledCrystal(.fcc, a: 3.6, repeats: [2, 2, 2], symbols: ["Cu", "Ni", "Pd"], rattle: 0.12, seed: 8, shear: 0.3)
        let model = Self.withBispectrum(Self.randomModel(species: ["Ni", "Cu", "Pd", "Pt"], pseudoelements: pseudoelements, seed: 14), seed: 5)
        let potential = try MLPotential(model: model, speciesTable: c.speciesTable, name: "random.model")
        PotentialChecker(potential: potential).check(c)
        PotentialChecker(potential: potential).checkSwap(c, 0, 1, trials: 40)
        var plain = model
        plain.bispectrum = nil
        var a = c, b = c
        var full = Evaluator(potential: potential, skin: 0, threads: 1)
        var linear = Evaluator(potential: try MLPotential(model: plain, speciesTable: c.speciesTable, name: "m"), skin: 0, threads: 1)
        #expect(abs(full.evaluate(&a, request: [.energy]).energy - linear.evaluate(&b, request: [.energy]).energy) > 1e-3)
    }

    /// A pair term reaching further than the angular terms (5.2 Å against 4.2) and a two-layer network
    /// on the power spectrum: the published HEA25 model's form.
    @Test func longerPairTermAndTwoLayerNetworkPassThePotentialChecker() throws {
        let c = rattledCrystal(.fcc, a: 3.6, repeats: [2, 2, 2], symbols: ["Cu", "Ni", "Pd"], rattle: 0.12, seed: 9, shear: 0.3)
        var model = Self.withPowerSpectrumNetwork(Self.withPairAndNetwork(Self.randomModel(species: ["Ni", "Cu", "Pd", "Pt"], pseudoelements: 2, seed: 15), seed: 6), seed: 7)
        model.pair!.cutoff = 5.2
        var random = RandomStream(seed: 11)
        let hidden = model.network!.hidden, second = 5
        model.network!.secondLayerWeights = (0..<(second * hidden)).map { _ in 0.5 * random.normal() }
        model.network!.secondLayerBias = (0..<second).map { _ in 0.1 * random.normal() }
        model.network!.outputWeights = (0..<second).map { _ in 0.2 * random.normal() }
        #expect(ModelFile(model: model).problems.isEmpty)
        let potential = try MLPotential(model: model, speciesTable: c.speciesTable, name: "random.model")
        #expect(potential.cutoff == 5.2 && potential.separatePairRows)
        PotentialChecker(potential: potential).check(c)
        PotentialChecker(potential: potential).checkSwap(c, 0, 1, trials: 40)
        // The longer reach matters: the same model with the pair term at 4.2 Å differs.
        var short = model
        short.pair!.cutoff = nil
        var a = c, b = c
        var long = Evaluator(potential: potential, skin: 0, threads: 1)
        var near = Evaluator(potential: try MLPotential(model: short, speciesTable: c.speciesTable, name: "m"), skin: 0, threads: 1)
        #expect(abs(long.evaluate(&a, request: [.energy]).energy - near.evaluate(&b, request: [.energy]).energy) > 1e-4)
    }

    @Test(arguments: [nil, 2] as [Int?]) func pairTermAndNetworkPassThePotentialChecker(pseudoelements: Int?) throws {
        let c = rattledCrystal(.fcc, a: 3.6, repeats: [2, 2, 2], symbols: ["Cu", "Ni", "Pd"], rattle: 0.12, seed: 5, shear: 0.3)
        let model = Self.withPairAndNetwork(Self.randomModel(species: ["Ni", "Cu", "Pd", "Pt"], pseudoelements: pseudoelements, seed: 12), seed: 3)
        let potential = try MLPotential(model: model, speciesTable: c.speciesTable, name: "random.model")
        PotentialChecker(potential: potential).check(c)
        PotentialChecker(potential: potential).checkSwap(c, 0, 1, trials: 40)
        // The pair term and network change the energy (they are not silently skipped).
        var plain = model
        plain.pair = nil; plain.network = nil
        var a = c, b = c
        var full = Evaluator(potential: potential, skin: 0, threads: 1)
        var linear = Evaluator(potential: try MLPotential(model: plain, speciesTable: c.speciesTable, name: "m"), skin: 0, threads: 1)
        #expect(abs(full.evaluate(&a, request: [.energy]).energy - linear.evaluate(&b, request: [.energy]).energy) > 1e-3)
    }

    @Test func refusesSpeciesTheModelDoesNotKnow() {
        let c = rattledCrystal(.fcc, a: 3.6, repeats: [1, 1, 1], symbols: ["Cu", "Au"], rattle: 0, seed: 1)
        #expect(throws: InputError.self) {
            _ = try MLPotential(model: Self.randomModel(species: ["Cu"], pseudoelements: nil, seed: 1), speciesTable: c.speciesTable, name: "m")
        }
    }
}
