import Foundation
import Testing
@testable import CrucibleCore
@testable import CrucibleML

/// The ML potential through the shared checker (forces, virial, per-atom energies, invariances,
/// thread independence), on species channels and on pseudoelements.
@Suite struct MLPotentialTests {
    static func randomModel(species: [String], pseudoelements: Int?, seed: UInt64) -> LinearModel {
        let settings = DensitySettings(cutoff: 4.2, smoothingWidth: 0.6, gaussianWidth: 0.4, maxAngular: 3, maxRadial: 3)
        var random = RandomStream(seed: seed)
        let u = pseudoelements.map { d in (0..<d).map { _ in species.map { _ in random.uniform() - 0.5 } } }
        let channels = u?.count ?? species.count
        let features = PowerSpectrum(expansion: SphericalExpansion(settings: settings, channels: .species(Array(0..<channels)))).featureCount
        return LinearModel(settings: settings, species: species, pseudoelements: u,
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

    @Test func refusesSpeciesTheModelDoesNotKnow() {
        let c = rattledCrystal(.fcc, a: 3.6, repeats: [1, 1, 1], symbols: ["Cu", "Au"], rattle: 0, seed: 1)
        #expect(throws: InputError.self) {
            _ = try MLPotential(model: Self.randomModel(species: ["Cu"], pseudoelements: nil, seed: 1), speciesTable: c.speciesTable, name: "m")
        }
    }
}
