import Foundation
import Testing
@testable import CrucibleEngine

/// Whole runs from deck text: determinism across thread counts and repeated runs, outputs that
/// read back, minimisation and single points.
@Suite struct EngineRunTests {
    /// A scratch folder holding a copy of the potential files the decks name.
    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crucible-engine-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in ["Cu_u3.eam", "CuNi.eam.alloy"] {
            try FileManager.default.copyItem(atPath: IOTestResources.path(name), toPath: dir + "/" + name)
        }
        return dir
    }

    static let nvtDeck = """
    seed: 99
    system:
      lattice: {kind: fcc, a: 3.615, repeat: [4, 4, 4], species: Cu}
      velocities: {temperature: 900}
    potential:
      eam: {file: Cu_u3.eam}
    neighbor: {skin: 0.5}
    md:
      steps: 60
      timestep: 0.002
      thermostat:
        langevin: {temperature: 900, damping: 0.05}
      barostat: {pressure: 0, tau: 0.2, compressibility: 1.0e-6}
    output:
      thermo: {every: 10, file: thermo.csv}
      trajectory: {file: traj.h5md, every: 20, fields: [position, velocity, force]}
      final_structure: final.xyz
    """

    func run(_ deck: String, in dir: String, threads: Int, outputs: String) throws -> Simulation {
        let plan = try decodeDeck(text: deck, fileName: "deck.yaml", baseDirectory: dir)
        var simulation = try Simulation(plan: plan, options: RunOptions(outputDirectory: outputs, threads: threads, quiet: true))
        try simulation.run()
        return simulation
    }

    @Test func sameNumbersForAnyThreadCountAndRepeatedRuns() throws {
        let dir = try Self.scratch()
        let one = try run(Self.nvtDeck, in: dir, threads: 1, outputs: dir + "/one")
        let two = try run(Self.nvtDeck, in: dir, threads: 2, outputs: dir + "/two")
        let again = try run(Self.nvtDeck, in: dir, threads: 1, outputs: dir + "/again")
        #expect(one.configuration == two.configuration)
        #expect(one.configuration == again.configuration)
        let csv = { (sub: String) in try String(contentsOfFile: dir + "/\(sub)/thermo.csv", encoding: .utf8) }
        #expect(try csv("one") == csv("two"))
        #expect(try csv("one") == csv("again"))
        #expect(try csv("one").split(separator: "\n").count == 1 + 7)
    }

    @Test func trajectoryAndFinalStructureReadBack() throws {
        let dir = try Self.scratch()
        let simulation = try run(Self.nvtDeck, in: dir, threads: 1, outputs: dir + "/out")
        let reader = try H5MDReader(path: dir + "/out/traj.h5md")
        defer { reader.close() }
        #expect(try reader.steps() == [0, 20, 40, 60])
        let last = reader.frameCount - 1
        #expect(try reader.positions(frame: last) == simulation.configuration.positions)
        #expect(try reader.box(frame: last) == simulation.configuration.cell.matrix)
        let final = try readExtXYZ(path: dir + "/out/final.xyz")
        #expect(final.count == 1 && final[0].positions == simulation.configuration.positions)
        #expect(final[0].info["energy"]?.double != nil)
    }

    @Test func minimisationFindsTheCopperLatticeConstant() throws {
        // Cu_u3 (Foiles–Baskes–Daw) fitted to a = 3.615 Å, E_coh = 3.54 eV: the relaxed cell must give both.
        let dir = try Self.scratch()
        let deck = """
        system:
          lattice: {kind: fcc, a: 3.50, repeat: [3, 3, 3], species: Cu}
        potential:
          eam: {file: Cu_u3.eam}
        minimize:
          max_force: 1.0e-6
          cell: {pressure: 0, coupling: isotropic}
        """
        let simulation = try run(deck, in: dir, threads: 1, outputs: dir + "/out")
        let a = simulation.configuration.cell.lengths[0] / 3
        #expect(abs(a - 3.615) < 2e-3, "a = \(a)")
        var evaluator = simulation.makeEvaluator()
        var c = simulation.configuration
        let e = evaluator.evaluate(&c).energy / Double(c.count)
        #expect(abs(e - -3.54) < 1e-3, "E = \(e)")
    }

    @Test func singlePointWritesForcesAndStress() throws {
        let dir = try Self.scratch()
        let deck = """
        system:
          lattice: {kind: fcc, a: 3.6, repeat: [3, 3, 3], composition: {Cu: 0.5, Ni: 0.5}, seed: 3}
        potential:
          eam: {file: CuNi.eam.alloy}
        single_point: {}
        output:
          final_structure: sp.xyz
        """
        _ = try run(deck, in: dir, threads: 2, outputs: dir + "/out")
        let frames = try readExtXYZ(path: dir + "/out/sp.xyz")
        let composition = Dictionary(grouping: frames[0].symbols, by: { $0 }).mapValues(\.count)
        #expect(composition == ["Cu": 54, "Ni": 54])
        #expect(frames[0].info["stress"]?.doubles?.count == 9)
    }

    @Test func evalMatchesLAMMPSReferenceFrames() throws {
        let dir = try Self.scratch()
        let deck = """
        system:
          structure: {file: \(IOTestResources.path("CuNi_Onat_eam_alloy.extxyz"))}
        potential:
          eam: {file: CuNi.eam.alloy}
        single_point: {}
        """
        let plan = try decodeDeck(text: deck, fileName: "deck.yaml", baseDirectory: dir)
        let errors = try Evaluation(plan: plan, threads: 2).run(input: IOTestResources.path("CuNi_Onat_eam_alloy.extxyz"), output: dir + "/eval.xyz")
        #expect(errors.frames == 5)
        #expect(errors.energyPerAtom.mae < 1e-12)
        #expect(errors.forces.mae < 1e-8 && errors.forces.count == 5 * 108 * 3)
        let out = try readExtXYZ(path: dir + "/eval.xyz")
        #expect(out.count == 5 && out[0].info["reference_energy"] != nil && out[0].arrays["energies"] != nil)
    }
}
