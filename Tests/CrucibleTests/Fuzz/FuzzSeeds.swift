import CrucibleCore
import CrucibleIO
import Foundation

/// Seed corpora: the real files (example decks, test extended-XYZ and EAM files) and, for speed,
/// small versions of them (EAM tables of ~10 points, frames of 3 atoms) that still go through every
/// branch of the headers. Quick mode fuzzes mostly the small ones; long mode both.
enum FuzzSeeds {
    struct Seed {
        var name: String
        var bytes: [UInt8]
    }

    /// The repository's Inputs/ folder (example decks), found from this file's path.
    static let inputsFolder: String = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = directory.appendingPathComponent("Inputs")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("lj_melt.yaml").path) {
                return candidate.path
            }
            directory = directory.deletingLastPathComponent()
        }
        return "Inputs"
    }()

    static func resource(_ name: String) -> Seed {
        Seed(name: name, bytes: Array((try? Data(contentsOf: URL(fileURLWithPath: IOTestResources.path(name)))) ?? Data()))
    }

    // MARK: Decks

    static func decks() -> [Seed] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: inputsFolder)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
        var seeds = names.map { Seed(name: $0, bytes: Array((FileManager.default.contents(atPath: inputsFolder + "/" + $0)) ?? Data())) }
        // Keys the example decks do not use, so that their readers get mutated too.
        seeds.append(Seed(name: "extra-sections.yaml", bytes: Array("""
            title: every section
            seed: 3
            threads: 1
            system:
              lattice: {kind: hcp, a: 3.2, c: 5.2, repeat: [2, 2, 2], composition: {Cu: 8, Ni: 8}, seed: 4}
              masses: {Cu: 63.546, Ni: 58.69}
              velocities: {temperature: 300, seed: 9}
            potential:
              - eam: {files: [potentials/Cu_u3.eam, potentials/Cu_u3.eam], species: [Cu, Ni]}
              - lj:
                  cutoff: 6
                  shift: true
                  pairs:
                    - {species: [Cu, Ni], epsilon: 0.01, sigma: 2.5, cutoff: 5}
            neighbor: {skin: 0.3}
            md:
              steps: 10
              timestep: 0.001
              thermostat:
                langevin: {temperature: 300, damping: 0.1}
              barostat: {pressure: 1, tau: 1, coupling: anisotropic, axes: [x, z]}
            output:
              thermo: {every: 1, columns: [step, temperature]}
              trajectory: {file: t.h5md, every: 2, fields: [position, velocity, force]}
              final_structure: f.xyz
            """.utf8)))
        seeds.append(Seed(name: "structure-frame.yaml", bytes: Array("""
            system:
              structure: {file: structures/cuni_rattled_frames.xyz, frame: -1}
            potential:
              eam: {file: potentials/CuNi.eam.alloy}
            minimize: {max_force: 1e-4, max_steps: 10, cell: {pressure: 0, coupling: isotropic}}
            """.utf8)))
        return seeds
    }

    // MARK: Extended XYZ

    static let extXYZFiles = [
        "Cu_u3_eam.extxyz", "CuNi_Onat_eam_alloy.extxyz", "Fe_mm_eam_fs.extxyz", "LJ_rc2.5_truncated_shifted.extxyz",
        "hea25_cookbook_test_data_33.xyz", "reference/EAM_small_and_sheared.extxyz", "reference/LJ_metal_small_triclinic.extxyz",
    ]

    static func extXYZFull() -> [Seed] { extXYZFiles.map(resource) }

    /// The first frame (or two) of each file cut to 3 atoms, plus hand-made frames using the
    /// properties and comment-line forms the real files lack (Z, integers, logicals, strings, quotes, pbc).
    static func extXYZSmall() -> [Seed] {
        var seeds: [Seed] = []
        for file in extXYZFiles {
            let lines = FuzzMutator.splitLines(resource(file).bytes)
            guard lines.count > 5 else { continue }
            let frame = [Array("3".utf8), lines[1]] + Array(lines[2..<5])
            seeds.append(Seed(name: "small-" + file, bytes: FuzzMutator.joinLines(frame + frame + [[]])))
        }
        seeds.append(Seed(name: "handmade-1.xyz", bytes: Array("""
            2
            Lattice="4 0 0 0 4 0 0 0 4" Properties=Z:I:1:pos:R:3:fixed:L:1:tag:S:1:masses:R:1:velocities:R:3 pbc="T F T" energy=-1.5 stress="1 0 0 0 1 0 0 0 1" uid=7 note='a b' flags={1 2 3} list=[1,2]
            29 0 0 0 T a 63.5 0.1 0 0
            28 1.8 1.8 0 False b 58.7 0 0.1 0
            1
            comment without keys
            Cu 0 0 0
            0
            Lattice="2 0 0 0 2 0 0 0 2" empty

            """.utf8)))
        seeds.append(Seed(name: "handmade-2.xyz", bytes: Array("""
            3
            Properties=species:S:1:pos:R:3:forces:R:3:energies:R:1:id:I:1 virial="0 0 0 0 0 0 0 0 0" pbc=F a = "x=y" b=c=d key\\ with\\ space="v" T
            CU 0 0 0 1 2 3 -1.5 1
            ni 2.5 0 0 -1 -2 -3 -1.4 2
            Ag 0 2.5 0 0 0 0 -2.0 3

            """.utf8)))
        return seeds
    }

    // MARK: EAM

    static let funcflFiles = ["Cu_u3.eam", "Ni_u3.eam", "Ag_u3.eam"]
    static let setflFiles = ["CuNi.eam.alloy", "Cu_mishin1.eam.alloy", "Al_zhou.eam.alloy", "FeNiCr_Bonny2011_stiffened.eam.alloy"]
    static let fsFiles = ["Fe_mm.eam.fs"]

    /// Indices of `count` points spread over a table of `total` (the first and last included).
    private static func sample(_ values: [Double], keeping count: Int) -> [Double] {
        (0..<count).map { values[$0 * (values.count - 1) / (count - 1)] }
    }

    private static func table(_ values: [Double]) -> String {
        stride(from: 0, to: values.count, by: 5).map { start in
            values[start..<min(start + 5, values.count)].map { "\($0)" }.joined(separator: " ")
        }.joined(separator: "\n")
    }

    /// A funcfl file with `points` points per table, made from a real one.
    static func smallFuncfl(_ name: String, points: Int) -> Seed? {
        guard let file = try? FuncflFile(path: IOTestResources.path(name)) else { return nil }
        let drho = file.drho * Double(file.nrho - 1) / Double(points - 1)
        let dr = file.dr * Double(file.nr - 1) / Double(points - 1)
        let text = [
            file.header,
            "\(file.atomicNumber) \(file.mass) \(file.latticeConstant ?? 0) \(file.latticeType ?? "FCC")",
            "\(points) \(drho) \(points) \(dr) \(file.cutoff)",
            table(sample(file.embedding, keeping: points)),
            table(sample(file.effectiveCharge, keeping: points)),
            table(sample(file.density, keeping: points)),
        ].joined(separator: "\n") + "\n"
        return Seed(name: "small\(points)-" + name, bytes: Array(text.utf8))
    }

    /// A setfl (or Finnis–Sinclair) file with `points` points per table, made from a real one.
    static func smallSetfl(_ name: String, variant: SetflFile.Variant, points: Int) -> Seed? {
        guard let file = try? SetflFile(path: IOTestResources.path(name), variant: variant) else { return nil }
        let drho = file.drho * Double(file.nrho - 1) / Double(points - 1)
        let dr = file.dr * Double(file.nr - 1) / Double(points - 1)
        var parts = file.comments
        parts.append("\(file.elements.count) " + file.elements.joined(separator: " "))
        parts.append("\(points) \(drho) \(points) \(dr) \(file.cutoff)")
        let n = file.elements.count
        for e in 0..<n {
            parts.append("\(file.atomicNumbers[e]) \(file.masses[e]) \(file.latticeConstants[e] ?? 0) \(file.latticeTypes[e] ?? "fcc")")
            parts.append(table(sample(file.embedding[e], keeping: points)))
            for t in (variant == .alloy ? e...e : (e * n)...(e * n + n - 1)) {
                parts.append(table(sample(file.density[t], keeping: points)))
            }
        }
        for table in file.z2r { parts.append(Self.table(sample(table, keeping: points))) }
        return Seed(name: "small\(points)-" + name, bytes: Array((parts.joined(separator: "\n") + "\n").utf8))
    }

    static func funcflSmall() -> [Seed] {
        funcflFiles.flatMap { name in [4, 7, 12].compactMap { smallFuncfl(name, points: $0) } }
    }

    static func setflSmall() -> [Seed] {
        setflFiles.flatMap { name in [4, 9].compactMap { smallSetfl(name, variant: .alloy, points: $0) } }
    }

    static func fsSmall() -> [Seed] {
        fsFiles.flatMap { name in [4, 9].compactMap { smallSetfl(name, variant: .finnisSinclair, points: $0) } }
    }
}
