import CrucibleCore
import Testing
@testable import CrucibleIO

/// End-to-end: energies, per-atom energies, forces and stresses computed by a brute-force sum on
/// top of our splines, against LAMMPS (same potential files, `run 0`; see Resources/PROVENANCE.md).
@Suite("EAM against LAMMPS reference data")
struct EAMReferenceTests {
    static let cases: [(structure: String, potential: String)] = [
        ("Cu_u3_eam.extxyz", "Cu_u3.eam"),
        ("CuNi_u3_funcfl_mixing.extxyz", "Cu_u3.eam+Ni_u3.eam"),
        ("Cu_mishin1_eam_alloy.extxyz", "Cu_mishin1.eam.alloy"),
        ("CuNi_Onat_eam_alloy.extxyz", "CuNi.eam.alloy"),
        ("Fe_mm_eam_fs.extxyz", "Fe_mm.eam.fs"),
    ]

    static func tables(_ potential: String) throws -> EAMTables {
        if potential == "Cu_u3.eam+Ni_u3.eam" {
            return try EAMTables(funcflPaths: [IOTestResources.path("Cu_u3.eam"), IOTestResources.path("Ni_u3.eam")],
                                 elements: ["Cu", "Ni"])
        }
        if potential.hasSuffix(".eam") {
            return try EAMTables(funcflPaths: [IOTestResources.path(potential)], elements: ["Cu"])
        }
        if potential.hasSuffix(".fs") { return try EAMTables(finnisSinclairPath: IOTestResources.path(potential)) }
        return try EAMTables(setflPath: IOTestResources.path(potential))
    }

    @Test("matches LAMMPS", arguments: cases)
    func matchesLAMMPS(structure: String, potential: String) throws {
        let tables = try Self.tables(potential)
        let model = BruteForceEAM(splines: EAMSplines(tables))
        let frames = try readExtXYZ(path: IOTestResources.path(structure))
        #expect(frames.count == 5)
        for (index, frame) in frames.enumerated() {
            let elements = try frame.symbols.map { try #require(tables.elementIndex(of: $0)) }
            let result = model.evaluate(positions: frame.positions, elements: elements, cell: frame.cell)
            let energy = try #require(frame.info["energy"]?.double)
            #expect(abs(result.energy - energy) <= 1e-12 * abs(energy), "\(structure)[\(index)] E \(result.energy) vs \(energy)")

            guard case .doubles(let forces, _)? = frame.arrays["forces"],
                  case .doubles(let perAtom, _)? = frame.arrays["energies"]
            else { Issue.record("reference arrays missing"); return }
            let forceError = zip(result.forces, forces).map { abs($0 - $1) }.max() ?? 0
            let energyError = zip(result.perAtom, perAtom).map { abs($0 - $1) }.max() ?? 0
            #expect(forceError <= 1e-7, "\(structure)[\(index)] max |ΔF| = \(forceError)")
            #expect(energyError <= 1e-7, "\(structure)[\(index)] max |Δe_i| = \(energyError)")

            // stress_voigt_ase = −virial/V, order xx yy zz yz xz xy. The reference went through
            // LAMMPS's bar (nktv2p = 1.6021765e6) and back with ASE's CODATA-2014 bar, so it is
            // scaled by 1.6021765/1.6021766208 (7.5e-8 relative); undo that to compare tightly.
            let unitMismatch = 1.6021765e6 / 1.6021766208e6
            let stress = try #require(frame.info["stress_voigt_ase"]?.doubles)
            let c = frame.cell
            let volume = abs(c[0] * (c[4] * c[8] - c[5] * c[7]) - c[1] * (c[3] * c[8] - c[5] * c[6])
                + c[2] * (c[3] * c[7] - c[4] * c[6]))
            let w = result.virial
            let ours = [w[0], w[4], w[8], w[5], w[2], w[1]].map { -$0 / volume * unitMismatch }
            let stressError = zip(ours, stress).map { abs($0 - $1) }.max() ?? 0
            #expect(stressError <= 1e-13, "\(structure)[\(index)] max |Δσ| = \(stressError)")
        }
    }

    @Test("perfect fcc Cu with Cu_u3.eam: −3.54 eV/atom at a = 3.615 Å")
    func fccCopper() throws {
        let tables = try EAMTables(funcflPaths: [IOTestResources.path("Cu_u3.eam")], elements: ["Cu"])
        let a = 3.615
        let basis = [0.0, 0.0, 0.0, 0.5, 0.5, 0.0, 0.5, 0.0, 0.5, 0.0, 0.5, 0.5].map { $0 * a }
        let result = BruteForceEAM(splines: EAMSplines(tables))
            .evaluate(positions: basis, elements: [0, 0, 0, 0], cell: [a, 0, 0, 0, a, 0, 0, 0, a])
        // LAMMPS on 108 atoms: −382.32000024623073 eV.
        #expect(abs(result.energy / 4 - (-382.32000024623073 / 108)) < 1e-12)
        #expect(abs(result.energy / 4 + 3.54) < 1e-6)
        #expect(result.forces.allSatisfy { abs($0) < 1e-12 })
    }
}
