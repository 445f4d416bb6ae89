import Testing
@testable import CrucibleCore
@testable import CrucibleIO

/// Energies, forces, per-atom energies and stresses of the LJ and EAM potentials (with our
/// neighbour lists, ghosts and threads) against unmodified LAMMPS on the same structures and files.
/// References: Tests/CrucibleTests/Resources (see PROVENANCE.md there).
@Suite struct LAMMPSReferenceTests {
    /// stress_voigt_ase went through LAMMPS's bar factor and back through ASE's (see PROVENANCE.md).
    static let barMismatch = 1.6021765e6 / 1.6021766208e6

    func eam(_ files: [String], format: String, elements: [String], table: SpeciesTable) throws -> EmbeddedAtom {
        let paths = files.map { IOTestResources.path($0) }
        let tables: EAMTables
        switch format {
        case "funcfl": tables = try EAMTables(funcflPaths: paths, elements: elements)
        case "setfl": tables = try EAMTables(setflPath: paths[0])
        default: tables = try EAMTables(finnisSinclairPath: paths[0])
        }
        return try EmbeddedAtom(splines: EAMSplines(tables), speciesTable: table)
    }

    func compare(_ file: String, threads: Int = 1, stressScale: Double = barMismatch,
                 potential: (SpeciesTable, XYZFrame) throws -> any Potential) throws {
        let frames = try readExtXYZ(path: IOTestResources.path(file))
        #expect(frames.count >= 3)
        for (index, frame) in frames.enumerated() {
            var configuration = try Configuration(frame: frame, file: file)
            let reference = configuration
            let p = try potential(configuration.speciesTable, frame)
            var evaluator = Evaluator(potential: p, skin: 0.5, threads: threads)
            let result = evaluator.evaluate(&configuration)
            let energy = try #require(frame.info["energy"]?.double)
            #expect(abs(result.energy - energy) <= 1e-10 * abs(energy), "\(file)[\(index)] E \(result.energy) vs \(energy)")
            guard case .doubles(let forces, 3)? = frame.arrays["forces"], case .doubles(let atoms, 1)? = frame.arrays["energies"] else {
                Issue.record("\(file) lacks forces/energies"); return
            }
            // The evaluator may wrap atoms but keeps their order: compare atom by atom.
            #expect(configuration.ids == reference.ids)
            let forceError = zip(result.forces, forces).map { abs($0 - $1) }.max() ?? 0
            let atomError = zip(result.perAtomEnergies, atoms).map { abs($0 - $1) }.max() ?? 0
            // Reference forces and per-atom energies are printed with 8 decimals.
            #expect(forceError <= 1e-8, "\(file)[\(index)] max |ΔF| = \(forceError)")
            #expect(atomError <= 1e-8, "\(file)[\(index)] max |Δe_i| = \(atomError)")
            if let stress = frame.info["stress_voigt_ase"]?.doubles {
                let ours = result.stress(volume: configuration.cell.volume).map { $0 * stressScale }
                let scale = max(1e-6, stress.map(abs).max()!)
                let error = zip(ours, stress).map { abs($0 - $1) }.max()!
                #expect(error <= 1e-8 * scale + 1e-12, "\(file)[\(index)] max |Δσ| = \(error)")
            }
            if let pressure = frame.info["pressure_virial_tensor_lj_xx_yy_zz_xy_xz_yz"]?.doubles {
                // LJ units with ε = σ = 1: P_virial = W/V; LAMMPS order xx yy zz xy xz yz.
                let v = configuration.cell.volume, w = result.virial
                let ours = [w[0], w[1], w[2], w[5], w[4], w[3]].map { $0 / v }
                let error = zip(ours, pressure).map { abs($0 - $1) }.max()!
                #expect(error <= 1e-10 * max(1, pressure.map(abs).max()!), "\(file)[\(index)] max |ΔP| = \(error)")
            }
        }
    }

    @Test func lennardJonesTruncatedShifted() throws {
        try compare("LJ_rc2.5_truncated_shifted.extxyz") { table, _ in
            try LennardJones(pairs: [.init("Ar", "Ar", epsilon: 1, sigma: 1)], cutoff: 2.5, shift: true, speciesTable: table)
        }
    }

    @Test(arguments: [
        ("Cu_u3_eam.extxyz", ["Cu_u3.eam"], "funcfl", ["Cu"]),
        ("Ni_u3_eam.extxyz", ["Ni_u3.eam"], "funcfl", ["Ni"]),
        ("CuNi_u3_funcfl_mixing.extxyz", ["Cu_u3.eam", "Ni_u3.eam"], "funcfl", ["Cu", "Ni"]),
        ("Cu_mishin1_eam_alloy.extxyz", ["Cu_mishin1.eam.alloy"], "setfl", []),
        ("Al_zhou_eam_alloy.extxyz", ["Al_zhou.eam.alloy"], "setfl", []),
        ("CuNi_Onat_eam_alloy.extxyz", ["CuNi.eam.alloy"], "setfl", []),
        ("FeNiCr_Bonny_eam_alloy.extxyz", ["FeNiCr_Bonny2011_stiffened.eam.alloy"], "setfl", []),
        ("Fe_mm_eam_fs.extxyz", ["Fe_mm.eam.fs"], "fs", []),
    ])
    func embeddedAtom(_ file: String, _ potentials: [String], _ format: String, _ elements: [String]) throws {
        try compare(file) { table, _ in try eam(potentials, format: format, elements: elements, table: table) }
        try compare(file, threads: 2) { table, _ in try eam(potentials, format: format, elements: elements, table: table) }
    }

    /// Strongly sheared triclinic cells (tilts ≈ ±0.4, also in a general orientation), cells smaller
    /// than twice the cutoff, two species with explicit cross parameters, shifted and unshifted.
    /// These references carry LAMMPS's own bar factor both ways, so no stress correction.
    @Test func lennardJonesSmallAndTriclinic() throws {
        try compare("reference/LJ_metal_small_triclinic.extxyz", stressScale: 1) { table, frame in
            let shift: Bool
            if case .bool(let value)? = frame.info["shift"] { shift = value } else { shift = true }
            return try LennardJones(pairs: [.init("Ar", "Ar", epsilon: 0.0104, sigma: 3.40), .init("Kr", "Kr", epsilon: 0.0140, sigma: 3.65),
                                            .init("Ar", "Kr", epsilon: 0.0120, sigma: 3.52)], cutoff: 8.5, shift: shift, speciesTable: table)
        }
    }

    /// A 2×2×2 Cu cell (cutoff > half the box), a sheared Cu cell in a general orientation, a
    /// three-element funcfl mixture and a sheared bcc Fe cell with Finnis–Sinclair.
    @Test(arguments: [1, 2])
    func embeddedAtomSmallAndSheared(threads: Int) throws {
        try compare("reference/EAM_small_and_sheared.extxyz", threads: threads, stressScale: 1) { table, frame in
            guard case .string(let files)? = frame.info["potential_file"], case .string(let style)? = frame.info["pair_style"] else {
                throw InputError(file: "EAM_small_and_sheared.extxyz", "frame lacks potential_file or pair_style")
            }
            let names = files.split(separator: " ").map(String.init)
            let format = style == "eam/alloy" ? "setfl" : style == "eam/fs" ? "fs" : "funcfl"
            let elements = names.map { String($0.prefix { $0 != "_" }) }
            return try eam(names, format: format, elements: elements, table: table)
        }
    }

    @Test func embeddedAtomPassesThePotentialChecker() throws {
        // Sheared, rattled ternary alloy in a cell smaller than twice the cutoff.
        let c = rattledCrystal(.fcc, a: 3.55, repeats: [2, 2, 2], symbols: ["Fe", "Ni", "Cr"], rattle: 0.12, seed: 4, shear: 0.35)
        let p = try eam(["FeNiCr_Bonny2011_stiffened.eam.alloy"], format: "setfl", elements: [], table: c.speciesTable)
        PotentialChecker(potential: p).check(c)
        PotentialChecker(potential: p).checkSwap(c, 0, 1)
        let sum = PotentialSum([p, try LennardJones(pairs: [.init("Fe", "Fe", epsilon: 0.01, sigma: 2.3), .init("Ni", "Ni", epsilon: 0.01, sigma: 2.3),
                                                            .init("Cr", "Cr", epsilon: 0.01, sigma: 2.3)], cutoff: 5, shift: true, speciesTable: c.speciesTable)])
        PotentialChecker(potential: sum).check(c)
        PotentialChecker(potential: sum).checkSwap(c, 2, 3)
        // A scaled EAM term (Hamiltonian parameter λ = 0.7) in the same sum.
        let scaled = PotentialSum([ScaledPotential(p, parameter: "lambda", factor: 0.7), sum.terms[1]])
        PotentialChecker(potential: scaled).check(c)
        PotentialChecker(potential: scaled).checkSwap(c, 2, 3, trials: 300)
    }

    @Test func funcflMixingPassesThePotentialChecker() throws {
        let c = rattledCrystal(.fcc, a: 3.6, repeats: [3, 3, 3], symbols: ["Cu", "Ni", "Ag"], rattle: 0.1, seed: 6)
        let p = try eam(["Cu_u3.eam", "Ni_u3.eam", "Ag_u3.eam"], format: "funcfl", elements: ["Cu", "Ni", "Ag"], table: c.speciesTable)
        PotentialChecker(potential: p).check(c)
        PotentialChecker(potential: p).checkSwap(c, 0, 1)
    }

    @Test func finnisSinclairPassesThePotentialChecker() throws {
        let c = rattledCrystal(.bcc, a: 2.86, repeats: [3, 3, 3], symbols: ["Fe"], rattle: 0.1, seed: 7, shear: 0.2)
        PotentialChecker(potential: try eam(["Fe_mm.eam.fs"], format: "fs", elements: [], table: c.speciesTable)).check(c)
    }
}
