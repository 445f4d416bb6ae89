import Foundation
import Testing
@testable import CrucibleEngine

/// Runs of several replicas: each replica of a K-replica run equals the same replica run alone,
/// bitwise, whatever the thread count; outputs per replica are named predictably; the schedule asks
/// the potential only for what the operations firing at a step need.
@Suite struct ReplicaRunTests {
    static let deck = """
    seed: 31
    system:
      lattice: {kind: fcc, a: 3.615, repeat: [3, 3, 3], species: Cu}
      velocities: {temperature: 700}
    potential:
      eam: {file: Cu_u3.eam}
    neighbor: {skin: 0.5}
    md:
      steps: 40
      timestep: 0.002
      thermostat:
        langevin: {temperature: 700, damping: 0.05}
      barostat: {pressure: 0, tau: 0.2, compressibility: 1.0e-6}
    replicas:
      temperatures: [500, 700, 900]
      pressures: [0, 1000, 2000]
    output:
      thermo: {every: 10, file: thermo.csv}
      trajectory: {file: traj.h5md, every: 20, fields: [position, velocity, force]}
      final_structure: final.xyz
    """

    func run(_ plan: RunPlan, threads: Int, outputs: String) throws -> Simulation {
        var simulation = try Simulation(plan: plan, options: RunOptions(outputDirectory: outputs, threads: threads, quiet: true))
        try simulation.run()
        return simulation
    }

    func files(_ dir: String, replica: Int) throws -> [String] {
        try ["thermo.r\(replica).csv", "final.r\(replica).xyz"].map { try String(contentsOfFile: dir + "/" + $0, encoding: .utf8) }
    }

    func frames(_ dir: String, replica: Int) throws -> [Double] {
        let reader = try H5MDReader(path: dir + "/traj.r\(replica).h5md")
        defer { reader.close() }
        var values: [Double] = []
        for k in 0..<reader.frameCount { values += try reader.positions(frame: k) + reader.velocities(frame: k) + reader.forces(frame: k) }
        return values
    }

    @Test func replicasOfOneRunEqualSeparateRunsForAnyThreadCount() throws {
        let dir = try EngineRunTests.scratch()
        let plan = try decodeDeck(text: Self.deck, fileName: "deck.yaml", baseDirectory: dir)
        let together1 = try run(plan, threads: 1, outputs: dir + "/together1")
        let together2 = try run(plan, threads: 2, outputs: dir + "/together2")
        #expect(together1.finalConfigurations.count == 3)
        #expect(together1.finalConfigurations == together2.finalConfigurations)
        // The replicas really differ (own temperatures, pressures and streams).
        #expect(together1.finalConfigurations[0] != together1.finalConfigurations[1])
        #expect(together1.finalConfigurations[1].cell != together1.finalConfigurations[2].cell)
        for member in plan.replicas!.members {
            var alone = plan
            alone.replicas = ReplicasPlan(members: [member])
            for threads in [1, 2] {
                let out = dir + "/alone\(member.index)-\(threads)"
                let single = try run(alone, threads: threads, outputs: out)
                #expect(single.finalConfigurations == [together1.finalConfigurations[member.index]])
                #expect(try files(out, replica: member.index) == files(dir + "/together1", replica: member.index))
                #expect(try frames(out, replica: member.index) == frames(dir + "/together\(threads)", replica: member.index))
            }
        }
        let rows = try String(contentsOfFile: dir + "/together1/thermo.r2.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 1 + 5)
    }

    @Test func replicaOutputNamesCarryTheIndex() {
        let options = RunOptions(outputDirectory: "/out")
        #expect(options.place("/a/thermo.csv", replica: 3) == "/out/thermo.r3.csv")
        #expect(options.place("/a/traj.h5md", replica: 0) == "/out/traj.r0.h5md")
        #expect(options.place("/a/log", replica: 1) == "/out/log.r1")
        #expect(RunOptions().place("/a/final.xyz", replica: 2) == "/a/final.r2.xyz")
        #expect(RunOptions().place("/a/final.xyz", replica: nil) == "/a/final.xyz")
    }

    @Test func triggersFireWhereDeclared() {
        let every = Trigger.every(10)
        #expect((0...25).filter { every.fires(atStep: $0, lastStep: 25) } == [0, 10, 20, 25])
        #expect((0...25).filter { Trigger.eachStep.fires(atStep: $0, lastStep: 25) } == Array(1...25))
        #expect((0...25).filter { Trigger.last.fires(atStep: $0, lastStep: 25) } == [25])
        let listed = Trigger(period: 0, steps: [3, 7])
        #expect((0...25).filter { listed.fires(atStep: $0, lastStep: 25) } == [3, 7])
        let checkpoint = Trigger(period: 10, atLast: true)
        #expect((0...25).filter { checkpoint.fires(atStep: $0, lastStep: 25) } == [10, 20, 25])
    }

    /// A step at which nothing is written asks for forces only (plus the virial under a barostat);
    /// a step at which thermo is written asks for energy and virial; the last step for everything.
    @Test func scheduleAsksForTheUnionOfWhatFiringOperationsNeed() throws {
        final class Probe: TriggeredOperation {
            let trigger: Trigger
            let needs: PotentialRequest
            var seen: [(Int, PotentialRequest)] = []
            init(_ trigger: Trigger, _ needs: PotentialRequest) { self.trigger = trigger; self.needs = needs }
            func perform(_ run: inout ReplicaRun) throws { seen.append((run.step, run.request)) }
        }
        let integrator = MDIntegrator(timestep: 0.001)
        let thermo = Probe(.every(5), [.energy, .virial])
        let final = Probe(.last, .all)
        let schedule = Schedule(operations: [IntegrateOperation(integrator), thermo, final])
        #expect(schedule.request(atStep: 3, lastStep: 12) == [.forces])
        #expect(schedule.request(atStep: 5, lastStep: 12) == [.forces, .energy, .virial])
        #expect(schedule.request(atStep: 12, lastStep: 12) == .all)
        #expect(schedule.request(atStep: 0, lastStep: 12) == [.energy, .virial])
        // Replicas meet where a non-local operation fires, at the last step, and at least every maxStretch steps.
        #expect(schedule.nextMeeting(after: 0, lastStep: 12) == 5)
        #expect(schedule.nextMeeting(after: 5, lastStep: 12) == 10)
        #expect(schedule.nextMeeting(after: 10, lastStep: 12) == 12)
        #expect(Schedule(operations: [IntegrateOperation(integrator)]).nextMeeting(after: 0, lastStep: 100) == Schedule.maxStretch)
        let npt = MDIntegrator(timestep: 0.001, thermostat: .csvr(tau: 0.1), barostat: Barostat(coupling: .isotropic, tau: 1, compressibility: 1e-6))
        #expect(Schedule(operations: [IntegrateOperation(npt)]).request(atStep: 3, lastStep: 12) == [.forces, .virial])
    }
}

/// A replica-exchange run with swaps (the demo deck, shortened) gives bitwise the same thermo rows,
/// exchange log, SRO samples and final structures with 1 and 2 threads, and its moves happened.
@Suite struct MonteCarloRunTests {
    @Test func replicaExchangeWithSwapsIsIndependentOfTheThreadCount() throws {
        let inputs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Inputs").path
        let plan = try loadDeck(path: inputs + "/alloy_fenicr_remc.yaml")
        var outputs: [[String]] = []
        var finals: [[Configuration]] = []
        for threads in [1, 2] {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crucible-mc-\(UUID().uuidString)").path
            var simulation = try Simulation(plan: plan, options: RunOptions(maxSteps: 200, outputDirectory: dir, threads: threads, quiet: true))
            let summary = try simulation.run()
            let texts = try ["alloy_fenicr_exchange.csv", "alloy_fenicr_sro.csv"].map { try String(contentsOfFile: dir + "/" + $0, encoding: .utf8) }
                + (0..<4).map { try String(contentsOfFile: dir + "/alloy_fenicr_thermo.r\($0).csv", encoding: .utf8) }
            outputs.append(texts)
            finals.append(simulation.finalConfigurations)
            #expect(summary.notes.contains { $0.hasPrefix("Replica exchange: 4 rounds") })
            // Swaps were accepted: species differ from the start in every replica.
            let start = try Simulation(plan: plan).configuration.species
            #expect(simulation.finalConfigurations.allSatisfy { $0.species != start })
        }
        #expect(outputs[0] == outputs[1])
        #expect(finals[0] == finals[1])
    }
}

/// Hamiltonian replica exchange from a deck: four states of one temperature that scale the EAM
/// term by λ (`scaled` + `replicas.parameters`). Exchanges happen, every thermo row's potential is
/// λ of the replica's current state times the reported ∂U/∂λ, and 1 and 2 threads agree bitwise.
@Suite struct HamiltonianExchangeRunTests {
    static let deck = """
    seed: 12
    system:
      lattice: {kind: fcc, a: 3.615, repeat: [3, 3, 3], species: Cu}
      velocities: {temperature: 600}
    potential:
      scaled: {parameter: lambda, term: {eam: {file: Cu_u3.eam}}}
    md:
      steps: 200
      timestep: 0.002
      thermostat:
        langevin: {temperature: 600, damping: 0.05}
    replicas:
      parameters: {lambda: [1.0, 0.995, 0.99, 0.985]}
      exchange: {every: 5, file: exchange.csv}
    output:
      thermo: {every: 5, file: thermo.csv, columns: [step, state, potential, cv]}
    """

    @Test func lambdaStatesExchange() throws {
        let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Resources").path
        let plan = try decodeDeck(text: Self.deck, fileName: "hrex.yaml", baseDirectory: resources)
        #expect(plan.replicas?.members.map { $0.parameters["lambda"] } == [1.0, 0.995, 0.99, 0.985])
        var texts: [[String]] = []
        for threads in [1, 2] {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crucible-hrex-\(UUID().uuidString)").path
            var simulation = try Simulation(plan: plan, options: RunOptions(outputDirectory: dir, threads: threads, quiet: true))
            let summary = try simulation.run()
            #expect(summary.notes.contains { $0.hasPrefix("Replica exchange: 40 rounds") })
            let exchanges = try String(contentsOfFile: dir + "/exchange.csv", encoding: .utf8)
            let permutations = Set(exchanges.split(separator: "\n").dropFirst().map { $0.split(separator: ",").dropFirst().joined(separator: ",") })
            #expect(permutations.count > 1, "no exchange was accepted")
            var rows = 0
            for r in 0..<4 {
                let table = try ThermoTable(path: dir + "/thermo.r\(r).csv")
                let state = try table.column("state"), potential = try table.column("potential"), du = try table.column("cv_du_dlambda")
                for row in table.rows {
                    let lambda = [1.0, 0.995, 0.99, 0.985][Int(row[state])]
                    #expect(abs(lambda * row[du] - row[potential]) < 1e-6 * abs(row[potential]))
                    rows += 1
                }
            }
            #expect(rows == 4 * 41)
            texts.append(try (0..<4).map { try String(contentsOfFile: dir + "/thermo.r\($0).csv", encoding: .utf8) } + [exchanges])
        }
        #expect(texts[0] == texts[1])
    }
}
