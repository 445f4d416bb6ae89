import CrucibleCore
import Foundation
import Testing
@testable import CrucibleIO

/// Mutation fuzzing of the three input readers (deck, extended XYZ, EAM files) and of what is built
/// from an EAM file that parses (splines, EmbeddedAtom, one evaluation). Requirements: no crash, no
/// hang, and every refusal an InputError naming the file and a line of it.
///
/// Quick mode runs in the normal suite. Long mode, with N mutated inputs per target:
///
///     CRUCIBLE_FUZZ_ITERATIONS=100000 swift test -c release -Xswiftc -enable-testing \
///         --scratch-path .build-fuzz --filter Fuzz
///
/// Also: CRUCIBLE_FUZZ_SEED (run seed), CRUCIBLE_FUZZ_TARGETS (e.g. "funcfl,setfl"),
/// CRUCIBLE_FUZZ_FIRST (index of the first input: with ITERATIONS=1, reruns one reported input),
/// CRUCIBLE_FUZZ_FINDINGS (folder for crash-/hang-/problem- inputs; default $TMPDIR/crucible-fuzz-findings).
/// Inputs that crashed or hung go to Fuzz/Corpus/ as regressions (see `corpusRegressions` and
/// FuzzRegressionTests). Run the long mode in a debug build too: release builds the library with
/// -Ounchecked, where overflows and bad indices do not trap. Coverage-guided fuzzing of the EAM and
/// extended-XYZ readers with libFuzzer: Fuzz/LibFuzzer/run.sh.
@Suite(.serialized) struct FuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let longIterations = environment["CRUCIBLE_FUZZ_ITERATIONS"].flatMap { Int($0) }

    static var settings: FuzzHarness.Settings {
        var settings = FuzzHarness.Settings()
        if let seed = environment["CRUCIBLE_FUZZ_SEED"].flatMap({ UInt64($0) }) { settings.runSeed = seed }
        return settings
    }

    static var targets: [FuzzTarget] {
        let all = FuzzTargets.all()
        guard let wanted = environment["CRUCIBLE_FUZZ_TARGETS"]?.split(separator: ",").map(String.init) else { return all }
        return all.filter { wanted.contains($0.name) }
    }

    private func check(_ report: FuzzHarness.Report) {
        print("fuzz \(report)")
        for problem in report.problems.prefix(20) { Issue.record(Comment(rawValue: problem)) }
    }

    @Test("seeds are valid inputs (else mutations start from an error)")
    func seedsAreValid() {
        var settings = Self.settings
        settings.slowSeconds = 30
        for target in FuzzTargets.all() {
            #expect(!target.smallSeeds.isEmpty && !target.fullSeeds.isEmpty, "\(target.name) has no seeds")
            // The real EAM files take seconds in a debug build; other tests read them, so long mode only.
            let seeds = target.smallSeeds + (Self.longIterations != nil || target.name == "deck" ? target.fullSeeds : [])
            let report = FuzzHarness.replay(target, inputs: seeds.map { ($0.name, $0.bytes) }, settings: settings)
            #expect(report.accepted == report.inputs, "\(target.name): only \(report.accepted) of \(report.inputs) seeds are accepted")
            check(report)
        }
    }

    /// A few thousand inputs in all, well under 15 s in a debug build.
    @Test("quick: mutated inputs never crash, hang or give an unplaced error",
          .enabled(if: longIterations == nil))
    func quick() {
        let counts = ["deck": 1200, "extxyz": 1200, "funcfl": 1000, "setfl": 1000, "fs": 600]
        var settings = Self.settings
        settings.fullSeedShare = 0  // small seeds only: the real files are slow to mutate in a debug build
        for target in FuzzTargets.all() {
            check(FuzzHarness.fuzz(target, count: counts[target.name] ?? 300, settings: settings))
            check(FuzzHarness.truncations(target, seeds: Array(target.smallSeeds.prefix(2)), settings: Self.settings))
        }
    }

    @Test("long: CRUCIBLE_FUZZ_ITERATIONS mutated inputs per target, and every seed cut at each 1/50th",
          .enabled(if: longIterations != nil))
    func long() {
        var settings = Self.settings
        settings.fullSeedShare = 0.5
        let first = Self.environment["CRUCIBLE_FUZZ_FIRST"].flatMap { Int($0) } ?? 0
        for target in Self.targets {
            if first == 0 {
                check(FuzzHarness.truncations(target, seeds: target.smallSeeds + target.fullSeeds, settings: settings))
            }
            check(FuzzHarness.fuzz(target, count: Self.longIterations ?? 0, settings: settings, first: first))
        }
    }

    // MARK: Regressions

    /// Fuzz/Corpus/: inputs that once crashed or hung a reader, or got an error on a line the file lacks. The file name's prefix names the
    /// target (`funcfl-…`, `setfl-…`, `fs-…`, `extxyz-…`, `deck-…`). Each must now be refused with a
    /// placed InputError (or read), never crash. `run-…` files are valid decks (and the structures
    /// they read) that crashed the engine downstream of the readers: FuzzRunRegressionTests runs them.
    static let corpusFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus").path

    static func corpus() -> [(target: String, name: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpusFolder)) ?? []
        return names.sorted().compactMap { name in
            guard let dash = name.firstIndex(of: "-") else { return nil }
            return (String(name[..<dash]), name)
        }
    }

    @Test("corpus inputs that once crashed, hung or misplaced an error are now refused with a placed InputError")
    func corpusRegressions() throws {
        for (targetName, name) in Self.corpus() where targetName != "run" {
            let target = try #require(FuzzTargets.named(targetName), "no fuzz target '\(targetName)' for Corpus/\(name)")
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.corpusFolder + "/" + name)))
            let report = FuzzHarness.replay(target, inputs: [(name, bytes)], settings: Self.settings)
            #expect(report.accepted == 0, "Corpus/\(name) is now accepted; expected an InputError")
            check(report)
        }
    }
}
