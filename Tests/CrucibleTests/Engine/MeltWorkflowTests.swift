import Foundation
import Testing
@testable import CrucibleEngine

/// The melting workflow end to end on a small Lennard-Jones slab: the stages happen as described
/// (the held half stays crystalline while the other melts; the pinning bias acts), the report is
/// written, and a workflow SIGKILLed in its pinning stage resumes from that stage's checkpoint and
/// ends with the bits of an uninterrupted one.
@Suite(.serialized) struct MeltWorkflowTests {
    static let deck = """
    seed: 5
    system:
      lattice: {kind: fcc, a: 5.30, repeat: [3, 3, 8], species: Ar}
    potential:
      lj:
        cutoff: 7.0
        shift: true
        pairs: [{species: [Ar, Ar], epsilon: 0.0104, sigma: 3.40}]
    melt:
      temperatures: [110, 130]
      pressure: 926
      timestep: 0.005
      damping: 0.2
      compressibility: 5.0e-5
      kappa: 20
      melt_temperature: 400
      steps: {lattice: 200, melt: 600, equilibrate: 100, production: 500}
      sample_every: 10
      blocks: 4
    """

    /// |mean exp(i k·x)| over the atoms of the lower half of the slab (fractional z < ½) or of the
    /// middle of the upper half (⅝ ≤ z < ⅞, away from both interfaces), k = 2π·2/a x̂ (fcc (200)).
    func halfOrder(_ c: Configuration, upper: Bool) -> Double {
        let inverse = c.cell.inverse
        let k = 2 * Double.pi * 6 * (0..<3).map { inverse[3 * $0] }.reduce(0, +) // h = (6, 0, 0) in cell units, orthorhombic
        var re = 0.0, im = 0.0, n = 0
        for i in 0..<c.count {
            let z = (0..<3).reduce(0.0) { $0 + c.positions[3 * i + $1] * inverse[3 * $1 + 2] }
            let s = z - z.rounded(.down)
            guard upper ? (s >= 0.625 && s < 0.875) : s < 0.5 else { continue }
            re += cos(k * c.positions[3 * i]); im += sin(k * c.positions[3 * i]); n += 1
        }
        return (re * re + im * im).squareRoot() / Double(n)
    }

    @Test func stagesDoWhatTheySay() throws {
        let dir = try EngineRunTests.scratch()
        let plan = try decodeDeck(text: Self.deck, fileName: "deck.yaml", baseDirectory: dir)
        var simulation = try Simulation(plan: plan, options: RunOptions(outputDirectory: dir + "/melt", quiet: true))
        let summary = try simulation.run()
        // After the melt stage the held (lower) half is still a crystal and the upper half is liquid.
        let melted = try SystemBuilder.load(StructureFilePlan(path: dir + "/melt/melt/final.r0.extxyz", frame: -1))
        #expect(halfOrder(melted, upper: false) > 0.6, "lower half \(halfOrder(melted, upper: false))")
        // (72 liquid atoms: a random value of about √(π/(4·72)) = 0.10.)
        #expect(halfOrder(melted, upper: true) < 0.25, "upper half \(halfOrder(melted, upper: true))")
        // The pinning stage ran with the bias on: its energy column is positive somewhere, Q sits between
        // the liquid and solid values, and the cell's x and y stayed fixed while z moved.
        let table = try ThermoTable(path: dir + "/melt/pinning/thermo.r0.csv")
        #expect(table.rows.count == 61)
        let (biasColumn, qColumn, lzColumn) = (try table.column("bias"), try table.column("cv_fourier"), try table.column("lz"))
        #expect(table.rows.contains { $0[biasColumn] > 0 })
        #expect(table.rows.allSatisfy { $0[qColumn] > 0.1 && $0[qColumn] < 0.8 })
        #expect(Set(table.rows.map { $0[lzColumn] }).count > 10)
        // Each temperature has its own bias centre a(T) = Q_l + ½ (Q_s(T) − Q_l) (a parameter of its
        // replica's state): every row's bias energy is κ/2 (Q − a(T))² with its replica's a.
        let report = try ThermoTable(path: dir + "/melt/delta_mu.csv")
        let aColumn = try report.column("a")
        let centers = report.rows.map { $0[aColumn] }
        #expect(centers.count == 2 && centers[0] != centers[1])
        for k in 0..<2 {
            let rows = try ThermoTable(path: dir + "/melt/pinning/thermo.r\(k).csv")
            for row in rows.rows {
                let q = row[try rows.column("cv_fourier")], bias = row[try rows.column("bias")]
                #expect(abs(bias - 10 * (q - centers[k]) * (q - centers[k])) <= 1e-9 * max(bias, 1e-6), "replica \(k): bias \(bias), Q \(q)")
            }
        }
        // The report: a row per temperature, the plot, and the closing lines.
        let csv = try String(contentsOfFile: dir + "/melt/delta_mu.csv", encoding: .utf8)
        #expect(csv.split(separator: "\n").filter { $0.hasPrefix("110") || $0.hasPrefix("130") }.count == 2)
        let svg = try String(contentsOfFile: dir + "/melt/delta_mu.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("</svg>") && svg.components(separatedBy: "<circle").count >= 3)
        #expect(summary.notes.contains { $0.hasPrefix("melt: interface pinning") })
    }

    func launch(_ dir: String, _ output: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLineTests.executable)
        process.arguments = ["melt", dir + "/deck.yaml", "--output-dir", dir + "/" + output, "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func outputs(_ dir: String) throws -> String {
        try (0..<2).map { try String(contentsOfFile: dir + "/pinning/thermo.r\($0).csv", encoding: .utf8) }.joined()
            + String(contentsOfFile: dir + "/delta_mu.csv", encoding: .utf8)
    }

    @Test func killedWorkflowResumesBitwise() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable))
        let dir = try EngineRunTests.scratch()
        try Self.deck.write(toFile: dir + "/deck.yaml", atomically: true, encoding: .utf8)
        let full = try launch(dir, "full")
        full.waitUntilExit()
        #expect(full.terminationStatus == 0)
        let reference = try outputs(dir + "/full")

        // Kill once the pinning stage has written 35 of its 61 rows (a checkpoint every 60 steps).
        let cut = try launch(dir, "cut")
        let deadline = Date().addingTimeInterval(600)
        while Date() < deadline {
            let rows = ((try? String(contentsOfFile: dir + "/cut/pinning/thermo.r0.csv", encoding: .utf8)) ?? "").split(separator: "\n").count
            if rows >= 35 { break }
            Thread.sleep(forTimeInterval: 0.005)
        }
        kill(cut.processIdentifier, SIGKILL)
        cut.waitUntilExit()
        #expect(!FileManager.default.fileExists(atPath: dir + "/cut/pinning/done"))
        let killedAt = try CheckpointFile.read(dir + "/cut/pinning/checkpoint.h5").integer("run/step")
        #expect(killedAt > 0 && killedAt < 600, "pinning checkpoint at step \(killedAt)")
        let again = try launch(dir, "cut")
        again.waitUntilExit()
        #expect(again.terminationStatus == 0)
        #expect(try outputs(dir + "/cut") == reference)
    }
}
