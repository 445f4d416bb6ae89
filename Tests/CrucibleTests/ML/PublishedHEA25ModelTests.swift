import Foundation
import Testing
@testable import CrucibleCore
@testable import CrucibleIO
@testable import CrucibleML

/// The published HEA25 model (Lopanitsyna et al. 2023: 25 elements, 4 pseudoelements, a 6 Å pair
/// term, a two-layer network on the compressed power spectrum), converted to a Crucible model file by
/// Inputs/ml/hea25/published/convert_hea25.py, against an independent numpy re-implementation of the
/// original model evaluated from its own weights with featomic 0.6.7 (Resources/reference/hea25_published):
/// energies and forces of ten HEA25 test structures.
@Suite struct PublishedHEA25ModelTests {
    static let modelPath = FuzzSeeds.inputsFolder + "/ml/hea25/published/hea25_published.json"

    @Test func energiesAndForcesMatchTheOriginalModel() throws {
        let model = try ModelFile.read(Self.modelPath).model
        #expect(model.species.count == 25 && model.pseudoelements?.count == 4)
        #expect(model.pair?.cutoff == 6 && model.settings.cutoff == 5 && model.network?.secondLayerBias?.count == 80)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: IOTestResources.path("reference/hea25_published/reference_hea25.json")))) as! [String: Any]
        let reference = json["frames"] as! [[String: Any]]
        let frames = try readExtXYZ(path: IOTestResources.path("reference/hea25_published/test_data_first10.xyz"))
        #expect(frames.count == reference.count)
        var worstEnergy = 0.0, worstForce = 0.0, dftErrors: [Double] = []
        for (frame, expected) in zip(frames, reference) {
            var c = try Configuration(frame: frame, file: "test_data_first10.xyz")
            var evaluator = Evaluator(potential: try MLPotential(model: model, speciesTable: c.speciesTable, name: "hea25"), skin: 0, threads: 2)
            let result = evaluator.evaluate(&c, request: [.energy, .forces])
            worstEnergy = max(worstEnergy, abs(result.energy - (expected["energy"] as! Double)))
            let forces = (expected["forces"] as! [[Double]]).flatMap { $0 }
            worstForce = max(worstForce, zip(result.forces, forces).map { abs($0 - $1) }.max()!)
            dftErrors.append(abs(result.energy - (expected["dft_energy"] as! Double)) / Double(c.count))
        }
        // Both sides integrate the radial functions exactly (the original tabulated them to 1e-6,
        // which moves its energies by up to 3e-4 eV): agreement is limited by Crucible's table.
        #expect(worstEnergy < 1e-6, "energy differs from the original model by \(worstEnergy) eV")
        #expect(worstForce < 1e-6, "forces differ from the original model by \(worstForce) eV/Å")
        // A usable model: a few meV/atom from DFT on structures it was not trained on.
        let mae = dftErrors.reduce(0, +) / Double(dftErrors.count)
        #expect(mae < 0.012, "energy MAE against DFT \(mae) eV/atom")
    }
}
