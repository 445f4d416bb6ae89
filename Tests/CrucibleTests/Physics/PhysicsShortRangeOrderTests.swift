import Foundation
import Testing
@testable import CrucibleEngine

/// Warren–Cowley short-range order of equiatomic FeNiCr at 800 K from Crucible's MD + swap Monte
/// Carlo against LAMMPS's MD + `fix atom/swap` on the same system (500 atoms, a = 3.52 Å,
/// FeNiCr_Bonny2011_stiffened.eam.alloy, 50 swap attempts every 10 steps, 40,000 steps of
/// equilibration, 80,000 of production sampled every 100 steps; reference and the script that made
/// it in Resources/reference/sro_fenicr/). Crucible uses Langevin dynamics where LAMMPS used a
/// Nosé–Hoover chain (both sample the canonical ensemble) and its own random start. Every α of
/// both shells must agree within 3 combined standard errors (block errors; LAMMPS's conservative
/// ones), and the potential energy per atom too.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CRUCIBLE_PHYSICS"] == "1")) struct PhysicsShortRangeOrderTests {
    static let deck = """
    seed: 8
    system:
      lattice: {kind: fcc, a: 3.52, repeat: [5, 5, 5], composition: {Fe: 167, Ni: 167, Cr: 166}}
      velocities: {temperature: 800}
    potential:
      eam: {file: FeNiCr_Bonny2011_stiffened.eam.alloy}
    neighbor: {skin: 1.0}
    md:
      steps: 120000
      timestep: 0.002
      thermostat:
        langevin: {temperature: 800, damping: 0.1}
    monte_carlo:
      swap: {every: 10, attempts: 50}
    output:
      thermo: {every: 100, file: thermo.csv, columns: [step, potential, swap_acceptance]}
      sro: {every: 100, start: 40100, shells: [3.0, 3.9], file: sro.csv}
    """

    struct Reference: Decodable {
        struct Value: Decodable { var mean: Double; var stderr_conservative: Double? ; var stderr: Double }
        var alpha_shell1: [String: Value]
        var alpha_shell2: [String: Value]
        var potential_energy_eV_per_atom: Value
    }

    @Test func shortRangeOrderAgreesWithLAMMPSAtomSwap() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crucible-sro-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: IOTestResources.path("FeNiCr_Bonny2011_stiffened.eam.alloy"),
                                         toPath: dir + "/FeNiCr_Bonny2011_stiffened.eam.alloy")
        let plan = try decodeDeck(text: Self.deck, fileName: "sro.yaml", baseDirectory: dir)
        var simulation = try Simulation(plan: plan, options: RunOptions(outputDirectory: dir, threads: 1, quiet: true))
        try simulation.run()
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath:
            IOTestResources.path("reference/sro_fenicr/sro_fenicr_800K.json"))))

        let rows = try String(contentsOfFile: dir + "/sro.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        let header = rows[0]
        let samples = rows.dropFirst().filter { Int($0[0])! >= 40100 }
        #expect(samples.count == 800)
        let symbols = ["Fe", "Ni", "Cr"]
        for (shell, values) in [(1, reference.alpha_shell1), (2, reference.alpha_shell2)] {
            for a in symbols {
                for b in symbols {
                    let column = header.firstIndex(of: "alpha\(shell)_\(a)_\(b)")!
                    let ours = blockStatistics(samples.map { Double($0[column])! }, blocks: 10)
                    let theirs = values["\(a)-\(b)"]!
                    let sigma = (ours.error * ours.error + pow(theirs.stderr_conservative ?? theirs.stderr, 2)).squareRoot()
                    #expect(abs(ours.mean - theirs.mean) < 3 * sigma,
                            "shell \(shell) \(a)-\(b): Crucible \(ours.mean) ± \(ours.error), LAMMPS \(theirs.mean) ± \(theirs.stderr_conservative ?? theirs.stderr)")
                    print(String(format: "SRO shell %d %@-%@: Crucible %+.4f ± %.4f  LAMMPS %+.4f ± %.4f", shell, a, b, ours.mean, ours.error,
                                 theirs.mean, theirs.stderr_conservative ?? theirs.stderr))
                }
            }
        }
        // Potential energy per atom over the same samples (thermo rows at the sample steps).
        let thermo = try String(contentsOfFile: dir + "/thermo.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",") }.filter { Int($0[0])! >= 40100 }
        let energy = blockStatistics(thermo.map { Double($0[1])! / 500 }, blocks: 10)
        let ref = reference.potential_energy_eV_per_atom
        #expect(abs(energy.mean - ref.mean) < 3 * (energy.error * energy.error + ref.stderr * ref.stderr).squareRoot(),
                "U/N: Crucible \(energy.mean) ± \(energy.error), LAMMPS \(ref.mean) ± \(ref.stderr)")
        print(String(format: "U/N: Crucible %.5f ± %.5f  LAMMPS %.5f ± %.5f eV", energy.mean, energy.error, ref.mean, ref.stderr)
              + "; swap acceptance \(thermo.last![2])")
    }
}
