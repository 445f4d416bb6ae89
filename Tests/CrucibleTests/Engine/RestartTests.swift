import Foundation
import Testing
@testable import CrucibleEngine

/// Checkpoints and restarts of the real executable: a replica-exchange run of three replicas of a
/// CuNi alloy with atom swaps, killed with SIGKILL at arbitrary moments (some during trajectory
/// writes) and restarted, gives thermo output, per-state trajectory frames (species included),
/// the exchange log and the short-range order samples bitwise identical to an uninterrupted run;
/// SIGTERM stops cleanly with a checkpoint.
@Suite(.serialized) struct RestartTests {
    static func deck(steps: Int) -> String { """
    seed: 5
    system:
      lattice: {kind: fcc, a: 3.58, repeat: [3, 3, 3], composition: {Cu: 54, Ni: 54}}
      velocities: {temperature: 1200}
    potential:
      eam: {file: CuNi.eam.alloy}
    neighbor: {skin: 0.6}
    md:
      steps: \(steps)
      timestep: 0.002
      thermostat:
        langevin: {temperature: 1200, damping: 0.1}
      barostat: {pressure: 0, tau: 0.3, compressibility: 1.0e-6}
    replicas:
      temperatures: [1100, 1200, 1300]
      exchange: {every: 20, file: exchange.csv}
    monte_carlo:
      swap: {every: 5, attempts: 10}
    output:
      thermo: {every: 10, file: thermo.csv, columns: [step, state, temperature, potential, conserved, pressure, swap_acceptance]}
      sro: {every: 50, shells: [3.0, 3.9], file: sro.csv}
      trajectory: {file: traj.h5md, every: 5, fields: [position, velocity, force]}
      checkpoint: {file: run.chk.h5, every: 100}
    """ }

    func folder(steps: Int = 1500, deck: String? = nil) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crucible-restart-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: IOTestResources.path("CuNi.eam.alloy"), toPath: dir + "/CuNi.eam.alloy")
        try (deck ?? Self.deck(steps: steps)).write(toFile: dir + "/deck.yaml", atomically: true, encoding: .utf8)
        return dir
    }

    /// Launches the run in `dir` as `name` and SIGKILLs it once its replica-0 thermo file has `rows`
    /// rows (progress, not time: on a loaded machine a timed kill can land after the end), waiting at
    /// most `patience` seconds.
    func killAfterRows(_ dir: String, _ name: String, rows: Int, patience: Double) throws {
        let process = try launch(dir, name)
        let deadline = Date().addingTimeInterval(patience)
        while Date() < deadline {
            let written = ((try? String(contentsOfFile: dir + "/\(name)/thermo.r0.csv", encoding: .utf8)) ?? "").split(separator: "\n").count
            if written >= rows { break }
            Thread.sleep(forTimeInterval: 0.005)
        }
        kill(process.processIdentifier, SIGKILL)
        _ = finish(process)
    }

    func launch(_ dir: String, _ output: String, restart: Bool = false) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLineTests.executable)
        process.arguments = ["run", dir + "/deck.yaml", "--output-dir", dir + "/" + output, "--quiet"] + (restart ? ["--restart"] : [])
        process.standardOutput = FileHandle.nullDevice
        if !FileManager.default.fileExists(atPath: dir + "/" + output + ".err") {
            FileManager.default.createFile(atPath: dir + "/" + output + ".err", contents: nil)
        }
        let log = FileHandle(forWritingAtPath: dir + "/" + output + ".err")
        log?.seekToEndOfFile()
        process.standardError = log
        try process.run()
        return process
    }

    func finish(_ process: Process) -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Thermo, exchange and SRO text and every trajectory dataset of every state (species per frame
    /// included), for bitwise comparison.
    func outputs(_ dir: String) throws -> (String, [[Double]], [Int]) {
        var text = "", frames: [[Double]] = [], steps: [Int] = []
        for replica in 0..<3 {
            text += try String(contentsOfFile: dir + "/thermo.r\(replica).csv", encoding: .utf8)
        }
        text += try String(contentsOfFile: dir + "/exchange.csv", encoding: .utf8)
        text += try String(contentsOfFile: dir + "/sro.csv", encoding: .utf8)
        for state in 0..<3 {
            let reader = try H5MDReader(path: dir + "/traj.s\(state).h5md")
            defer { reader.close() }
            for k in 0..<reader.frameCount {
                frames.append(try reader.positions(frame: k) + reader.velocities(frame: k) + reader.forces(frame: k) + reader.box(frame: k)
                              + reader.species(frame: k).map(Double.init))
            }
            if state == 0 { steps = try reader.steps() }
        }
        return (text, frames, steps)
    }

    /// The situation under test happened: swaps were accepted in every replica, states were
    /// exchanged (some row of the exchange log is not the identity), and species changed along a trajectory.
    func checkMovesHappened(_ dir: String) throws {
        for replica in 0..<3 {
            let last = try String(contentsOfFile: dir + "/thermo.r\(replica).csv", encoding: .utf8).split(separator: "\n").last!
            #expect(Double(last.split(separator: ",").last!)! > 0.01, "replica \(replica): no swaps accepted")
        }
        let rows = try String(contentsOfFile: dir + "/exchange.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(rows.contains { !$0.hasSuffix(",0,1,2") }, "no exchange was accepted")
        let reader = try H5MDReader(path: dir + "/traj.s0.h5md")
        defer { reader.close() }
        #expect(try reader.species(frame: 0) != reader.species(frame: reader.frameCount - 1))
    }

    @Test func killedRunsContinueBitwise() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable))
        let dir = try folder()
        let start = Date()
        #expect(finish(try launch(dir, "full")) == 0)
        let duration = Date().timeIntervalSince(start)
        let reference = try outputs(dir + "/full")
        #expect(reference.2 == Array(stride(from: 0, through: 1500, by: 5)))
        try checkMovesHappened(dir + "/full")
        // Kill at several fractions of the run, then restart (possibly several times) until it ends.
        for (index, fraction) in [0.23, 0.51, 0.78].enumerated() {
            let name = "cut\(index)"
            try killAfterRows(dir, name, rows: 1 + Int(fraction * 150), patience: 10 * duration + 60)
            // The kill landed mid-run, after a checkpoint: the restart has something to continue.
            let checkpoint = try CheckpointFile.read(dir + "/\(name)/run.chk.h5")
            let killedAt = try checkpoint.integer("run/step")
            #expect(killedAt > 0 && killedAt < 1500, "checkpoint at step \(killedAt) after a kill at \(fraction) of the run")
            #expect(try checkpoint.integers("run/replicas") == [0, 1, 2])
            var status: Int32 = -1
            for _ in 0..<3 where status != 0 {
                status = finish(try launch(dir, name, restart: FileManager.default.fileExists(atPath: dir + "/\(name)/run.chk.h5")))
            }
            #expect(status == 0, "restart failed: \((try? String(contentsOfFile: dir + "/\(name).err", encoding: .utf8)) ?? "")")
            let continued = try outputs(dir + "/" + name)
            #expect(continued.0 == reference.0, "thermo differs after a kill at \(fraction) of the run")
            #expect(continued.2 == reference.2, "trajectory steps differ after a kill at \(fraction)")
            #expect(continued.1 == reference.1, "trajectory frames differ after a kill at \(fraction)")
        }
    }

    @Test func sigtermWritesACheckpointAndStops() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable))
        let dir = try folder(steps: 4000)
        #expect(finish(try launch(dir, "full")) == 0)
        let process = try launch(dir, "term")
        // Wait until the run is under way (a few thermo rows), then ask it to stop.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let rows = ((try? String(contentsOfFile: dir + "/term/thermo.r0.csv", encoding: .utf8)) ?? "").split(separator: "\n").count
            if rows > 20 { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        process.terminate()  // SIGTERM
        #expect(finish(process) == 128 + SIGTERM)
        let record = try CheckpointFile.read(dir + "/term/run.chk.h5")
        let step = try record.integer("run/step")
        let thermo = try String(contentsOfFile: dir + "/term/thermo.r0.csv", encoding: .utf8)
        #expect(step > 0 && step < 4000)
        // Rows at steps 0, 10, … up to the checkpoint's step are complete.
        #expect(thermo.split(separator: "\n").count >= 1 + Int(step) / 10)
        #expect(finish(try launch(dir, "term", restart: true)) == 0)
        #expect(try outputs(dir + "/term").0 == outputs(dir + "/full").0)
    }
}
