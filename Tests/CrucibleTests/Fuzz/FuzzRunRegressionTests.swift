import CrucibleCore
import Foundation
import Testing
@testable import CrucibleEngine

/// The `run-*.yaml` decks of Fuzz/Corpus/: valid decks (the readers accept them) whose cells or
/// positions crashed the engine, each run in-process as `crucible run` would. A deck must either
/// complete with finite energies and forces, or be refused with an InputError before any output
/// is written; a crash takes the whole test process down, so it cannot pass by accident.
/// `run-*.xyz` are the structures those decks read. (FuzzTests.corpusRegressions, which expects the
/// readers to refuse every corpus input, leaves the `run-` files to this suite.)
@Suite struct FuzzRunRegressionTests {
    enum Outcome: Equatable {
        /// Completes; `energy` is the final potential energy, eV (nil: only finiteness is checked).
        case runs(energy: Double?)
        /// Refused with an InputError whose text contains this.
        case refused(String)
    }

    /// Every `run-*.yaml` must be listed here, so that a new corpus deck states what it expects.
    static let expected: [String: Outcome] = [
        "run-periodic-cell-1e7.yaml": .runs(energy: 0),            // two atoms 8.7e6 Å apart
        "run-periodic-cell-1e100.yaml": .runs(energy: 0),
        "run-periodic-cell-volume-overflow.yaml": .refused("outside double precision"),
        "run-periodic-cell-volume-underflow.yaml": .refused("outside double precision"),
        "run-periodic-cell-tiny.yaml": .refused("periodic images"),
        "run-flat-periodic-cell.yaml": .runs(energy: nil),
        "run-sheared-periodic-cell.yaml": .runs(energy: nil),
        "run-open-atoms-1e8-apart.yaml": .runs(energy: nil),
        "run-open-atoms-1e300-apart.yaml": .runs(energy: nil),
        "run-huge-coordinates.yaml": .runs(energy: nil),
    ]

    static func decks() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: FuzzTests.corpusFolder)) ?? []
        return names.filter { $0.hasPrefix("run-") && $0.hasSuffix(".yaml") }.sorted()
    }

    /// A scratch folder with the corpus's structures and a link to the example decks' potentials/.
    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crucible-run-corpus-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/potentials", withDestinationPath: FuzzSeeds.inputsFolder + "/potentials")
        for name in try FileManager.default.contentsOfDirectory(atPath: FuzzTests.corpusFolder) where name.hasPrefix("run-") && name.hasSuffix(".xyz") {
            try FileManager.default.copyItem(atPath: FuzzTests.corpusFolder + "/" + name, toPath: dir + "/" + name)
        }
        return dir
    }

    @Test("every run- deck of the corpus states its outcome")
    func everyDeckIsListed() {
        let decks = Self.decks()
        #expect(decks.count >= 10, "run- decks missing from Fuzz/Corpus: \(decks)")
        #expect(Set(decks) == Set(Self.expected.keys), "listed \(Self.expected.keys.sorted()), found \(decks)")
    }

    @Test("run- decks of the corpus complete with finite energies or are refused with an InputError",
          arguments: FuzzRunRegressionTests.decks())
    func deckRunsOrIsRefused(name: String) throws {
        let expected = try #require(Self.expected[name], "no expected outcome for Corpus/\(name)")
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = try String(contentsOfFile: FuzzTests.corpusFolder + "/" + name, encoding: .utf8)
        let plan = try decodeDeck(text: text, fileName: name, baseDirectory: dir)
        let outputs = dir + "/out"
        for threads in [1, 2] {
            do {
                var simulation = try Simulation(plan: plan, options: RunOptions(outputDirectory: outputs, threads: threads, quiet: true))
                let summary = try simulation.run()
                let result = summary.finalResult
                guard case .runs(let energy) = expected else {
                    Issue.record("Corpus/\(name) ran (energy \(result.energy) eV); expected an InputError")
                    return
                }
                #expect(result.energy.isFinite, "Corpus/\(name): energy \(result.energy)")
                let finiteForces = result.forces.count == 3 * simulation.configuration.count && result.forces.allSatisfy { $0.isFinite }
                let finitePositions = simulation.configuration.positions.allSatisfy { $0.isFinite }
                #expect(finiteForces, "Corpus/\(name): forces \(result.forces)")
                #expect(finitePositions)
                if let energy { #expect(abs(result.energy - energy) < 1e-9, "Corpus/\(name): energy \(result.energy) eV, expected \(energy)") }
            } catch let error as InputError {
                guard case .refused(let text) = expected else {
                    Issue.record("Corpus/\(name) was refused: \(error)")
                    return
                }
                #expect(error.description.contains(text), "Corpus/\(name): \(error)")
                // Refused before any output is written: not even the output folder exists.
                #expect(!FileManager.default.fileExists(atPath: outputs), "Corpus/\(name) wrote \(outputs) before refusing")
            }
        }
    }

    /// Energies that do not depend on the thread count (the chunked reductions), in huge cells too.
    @Test("a huge periodic cell gives the same numbers for 1 and 2 threads")
    func threadIndependence() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = try String(contentsOfFile: FuzzTests.corpusFolder + "/run-flat-periodic-cell.yaml", encoding: .utf8)
        let plan = try decodeDeck(text: text, fileName: "run-flat-periodic-cell.yaml", baseDirectory: dir)
        var one = try Simulation(plan: plan, options: RunOptions(outputDirectory: dir + "/one", threads: 1, quiet: true))
        var two = try Simulation(plan: plan, options: RunOptions(outputDirectory: dir + "/two", threads: 2, quiet: true))
        let a = try one.run(), b = try two.run()
        #expect(a.finalResult == b.finalResult)
        #expect(one.configuration == two.configuration)
        #expect(a.finalResult.energy < 0)
    }
}
