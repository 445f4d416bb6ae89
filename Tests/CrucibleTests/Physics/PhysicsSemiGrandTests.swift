import Foundation
import Testing
@testable import CrucibleEngine

/// Semi-grand canonical CuNi at 800 K: the mean Cu fraction at given chemical-potential differences
/// from Crucible's MD + semi-grand moves against LAMMPS's MD + `fix atom/swap semi-grand` (the
/// exact reference; LAMMPS's `fix sgcmc` is biased in this small box with more than one trial per
/// call, see Resources/reference/sgc_cuni/README.md). 256 atoms, a = 3.58 Å, CuNi.eam.alloy, fixed
/// volume, 26 trials every 10 steps, 10,000 steps of equilibration and 80,000 of production
/// sampled every 10 steps. c_Cu(Δμ) is steep here (15 per eV near ½), so the test sees a sign or
/// scale error in μ at once. Agreement within 3 combined block errors at each Δμ.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CRUCIBLE_PHYSICS"] == "1")) struct PhysicsSemiGrandTests {
    static func deck(deltaMu: Double) -> String { """
    seed: 21
    system:
      lattice: {kind: fcc, a: 3.58, repeat: [4, 4, 4], composition: {Ni: 128, Cu: 128}}
      velocities: {temperature: 800}
    potential:
      eam: {file: CuNi.eam.alloy}
    neighbor: {skin: 1.0}
    md:
      steps: 90000
      timestep: 0.002
      thermostat:
        langevin: {temperature: 800, damping: 0.1}
    monte_carlo:
      semi_grand: {every: 10, attempts: 26, chemical_potentials: {Ni: 0, Cu: \(deltaMu)}}
    output:
      thermo: {every: 10, file: thermo.csv, columns: [step, potential, concentrations]}
    """ }

    struct Reference: Decodable {
        struct Point: Decodable { var mu_Cu_minus_mu_Ni_eV: Double; var c_Cu: Double; var c_Cu_stderr: Double }
        var reference: [Point]
    }

    @Test func cuFractionAgreesWithLAMMPSSemiGrandSwaps() throws {
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath:
            IOTestResources.path("reference/sgc_cuni/sgc_cuni_800K.json"))))
        #expect(reference.reference.count == 3)
        for point in reference.reference {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crucible-sgc-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: IOTestResources.path("CuNi.eam.alloy"), toPath: dir + "/CuNi.eam.alloy")
            let plan = try decodeDeck(text: Self.deck(deltaMu: point.mu_Cu_minus_mu_Ni_eV), fileName: "sgc.yaml", baseDirectory: dir)
            var simulation = try Simulation(plan: plan, options: RunOptions(outputDirectory: dir, threads: 1, quiet: true))
            try simulation.run()
            let rows = try String(contentsOfFile: dir + "/thermo.csv", encoding: .utf8).split(separator: "\n")
            let column = rows[0].split(separator: ",").firstIndex { $0 == "x_Cu" }!
            let samples = rows.dropFirst().map { $0.split(separator: ",") }.filter { Int($0[0])! > 10000 }.map { Double($0[column])! }
            #expect(samples.count == 8000)
            let ours = blockStatistics(samples, blocks: 8)
            let sigma = (ours.error * ours.error + point.c_Cu_stderr * point.c_Cu_stderr).squareRoot()
            #expect(abs(ours.mean - point.c_Cu) < 3 * sigma,
                    "Δμ = \(point.mu_Cu_minus_mu_Ni_eV) eV: Crucible c_Cu \(ours.mean) ± \(ours.error), LAMMPS \(point.c_Cu) ± \(point.c_Cu_stderr)")
            print(String(format: "SGC Δμ = %.3f eV: Crucible c_Cu %.4f ± %.4f  LAMMPS (atom/swap semi-grand) %.4f ± %.4f",
                         point.mu_Cu_minus_mu_Ni_eV, ours.mean, ours.error, point.c_Cu, point.c_Cu_stderr))
        }
    }
}
