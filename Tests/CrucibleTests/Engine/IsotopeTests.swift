import Foundation
import Testing
@testable import CrucibleEngine

/// Isotopes as species of their own (`system.isotopes`): the chosen share of an element's atoms
/// gets the label and mass; potentials see the element (same energy and forces, bit for bit);
/// dynamics, outputs, checkpoints and Monte Carlo see the label.
@Suite struct IsotopeTests {
    static let deck = """
    seed: 8
    system:
      lattice: {kind: fcc, a: 3.615, repeat: [3, 3, 3], species: Cu}
      velocities: {temperature: 300}
      isotopes: {Cu65: {element: Cu, mass: 64.9278, fraction: 0.5}}
    potential:
      eam: {file: Cu_u3.eam}
    md:
      steps: 20
      timestep: 0.002
      thermostat: {langevin: {temperature: 300, damping: 0.1}}
    monte_carlo:
      swap: {pairs: [[Cu, Cu65]], attempts: 5}
    output:
      thermo: {every: 10, file: thermo.csv, columns: [step, concentrations, kinetic_by_species]}
      trajectory: {file: traj.h5md, every: 10}
      final_structure: final.xyz
    """

    static var resources: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Resources").path
    }

    @Test func isotopesAreSpeciesWithTheirElementsInteractions() throws {
        let plan = try decodeDeck(text: Self.deck, fileName: "isotopes.yaml", baseDirectory: Self.resources)
        #expect(plan.system.isotopes == [IsotopePlan(label: "Cu65", element: "Cu", mass: 64.9278, fraction: 0.5, seed: 8)])
        let start = try Simulation(plan: plan).configuration
        let table = start.speciesTable
        #expect(table.symbols == ["Cu", "Cu65"] && table.elements == ["Cu", "Cu"] && table.masses[1] == 64.9278)
        #expect(start.species.filter { $0 == 1 }.count == 54)
        // The potential sees copper everywhere: same energy and forces as the unlabelled lattice.
        var plain = start
        plain.species = plain.species.map { _ in 0 }
        let potential = try PotentialBuilder.potential(plan.potential, speciesTable: table, deckPath: "isotopes.yaml")
        var evaluator = Evaluator(potential: potential, skin: 0.5), plainEvaluator = Evaluator(potential: potential, skin: 0.5)
        var labelled = start
        #expect(evaluator.evaluate(&labelled) == plainEvaluator.evaluate(&plain))

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crucible-isotopes-\(UUID().uuidString)").path
        var simulation = try Simulation(plan: plan, options: RunOptions(outputDirectory: dir, quiet: true))
        try simulation.run()
        // Swaps between the isotopes cost nothing and change which atoms are Cu65.
        let final = simulation.finalConfigurations[0]
        #expect(final.species != start.species && final.species.filter { $0 == 1 }.count == 54)
        // Thermo: per-label columns.
        let header = try String(contentsOfFile: dir + "/thermo.csv", encoding: .utf8).split(separator: "\n")[0]
        #expect(header.contains("concentration_Cu65") || header.contains("Cu65"))
        // Final structure: element symbols for ASE, labels and masses beside them; read back exactly.
        let frame = try readExtXYZ(path: dir + "/final.xyz")[0]
        #expect(Set(frame.symbols) == ["Cu"])
        let read = try Configuration(frame: frame, file: "final.xyz")
        #expect(read.speciesTable == table && read.species == final.species)
        // Without labels, the two masses of Cu still make two species.
        var unlabelled = frame
        unlabelled.arrays["labels"] = nil
        let guessed = try Configuration(frame: unlabelled, file: "final.xyz")
        #expect(guessed.speciesTable.symbols == (final.species[0] == 0 ? ["Cu", "Cu_2"] : ["Cu", "Cu_2"]) && guessed.speciesTable.masses.sorted() == table.masses.sorted())
        // Trajectory: a species value and name per label, atomic number of the element.
        let reader = try H5MDReader(path: dir + "/traj.h5md")
        defer { reader.close() }
        let names = try #require(try reader.speciesTable())
        #expect(names.map(\.number) == [29, 1029] && names.map(\.symbol) == ["Cu", "Cu65"])
        // Checkpoint record round trip keeps the isotope.
        var record = CheckpointRecord()
        final.save(into: &record, as: "c/")
        #expect(try Configuration(from: record, as: "c/") == final)
    }
}
