import Foundation
import Testing
@testable import CrucibleIO

/// The docs kept in step with the decoder: every key a deck section reader accepts has a row in the
/// key table of its block's page in docs/. The rule (also in docs/README.md, "Keeping these pages in
/// step with the decoder"):
///
/// - A page's key table is its first table whose header row's first cell is `key` (`top-level key`
///   for the index table of docs/README.md).
/// - A key is documented when the first cell of a row of that table holds, in backticks, the key's
///   path below the page's block (`skin`, `lattice.kind`, `pairs[].sigma`), or a longer path through
///   it (`thermostat.langevin.damping` documents `thermostat` and `thermostat.langevin`;
///   `masses.SYMBOL` documents `masses`).
/// - A key that opens a block of its own (below) is documented by that block's rows.
/// - Every top-level key also has a row in the index table of docs/README.md.
@Suite struct DocsCoverageTests {
    /// One key list of a section reader, the block it belongs to, and where that block is documented.
    struct Block {
        /// Where the list is declared, `Type.name` (checked against the sources).
        var source: String
        /// Path of the block in a deck ("" for the top level), e.g. `md.thermostat.langevin`.
        var path: String
        var keys: [String]
        /// Page in docs/ documenting it.
        var page: String
        /// The block's path as written in the page's key table, e.g. `thermostat.langevin` in md.md.
        var prefix: String

        func child(_ key: String) -> String { path.isEmpty ? key : path + "." + key }
        func row(_ key: String) -> String { prefix.isEmpty ? key : prefix + "." + key }
    }

    /// Every key list of the section readers. A new list (a `static let …keys`/`…Keys`/`…kinds` in
    /// Sources/CrucibleIO/Deck) must be added here; `everyKeyListIsRegistered` fails until it is.
    static let blocks: [Block] = [
        Block(source: "DeckDecoder.topLevelKeys", path: "", keys: DeckDecoder.topLevelKeys, page: "top-level.md", prefix: ""),
        Block(source: "RunKindSection.keys", path: "", keys: RunKindSection.keys, page: "top-level.md", prefix: ""),
        Block(source: "SystemSection.keys", path: "system", keys: SystemSection.keys, page: "system.md", prefix: ""),
        Block(source: "StructureSection.keys", path: "system.structure", keys: StructureSection.keys, page: "system.md", prefix: "structure"),
        Block(source: "LatticeSection.keys", path: "system.lattice", keys: LatticeSection.keys, page: "system.md", prefix: "lattice"),
        Block(source: "VelocitiesSection.keys", path: "system.velocities", keys: VelocitiesSection.keys, page: "system.md", prefix: "velocities"),
        Block(source: "IsotopesSection.keys", path: "system.isotopes.LABEL", keys: IsotopesSection.keys, page: "system.md", prefix: "isotopes.LABEL"),
        // `potential` has no page of its own: each term kind has one.
        Block(source: "PotentialSection.termKinds", path: "potential", keys: PotentialSection.termKinds, page: "README.md", prefix: ""),
        Block(source: "LennardJonesSection.keys", path: "potential.lj", keys: LennardJonesSection.keys, page: "potential-lj.md", prefix: ""),
        Block(source: "LennardJonesSection.pairKeys", path: "potential.lj.pairs[]", keys: LennardJonesSection.pairKeys,
              page: "potential-lj.md", prefix: "pairs[]"),
        Block(source: "EAMSection.keys", path: "potential.eam", keys: EAMSection.keys, page: "potential-eam.md", prefix: ""),
        Block(source: "PinningSection.keys", path: "potential.pinning", keys: PinningSection.keys, page: "potential-pinning.md", prefix: ""),
        Block(source: "ScaledSection.keys", path: "potential.scaled", keys: ScaledSection.keys, page: "potential-scaled.md", prefix: ""),
        Block(source: "PinningSection.variableKinds", path: "potential.pinning.cv", keys: PinningSection.variableKinds,
              page: "potential-pinning.md", prefix: "cv"),
        Block(source: "PinningSection.fourierKeys", path: "potential.pinning.cv.fourier", keys: PinningSection.fourierKeys,
              page: "potential-pinning.md", prefix: "cv.fourier"),
        Block(source: "PinningSection.q6Keys", path: "potential.pinning.cv.q6", keys: PinningSection.q6Keys,
              page: "potential-pinning.md", prefix: "cv.q6"),
        Block(source: "PinningSection.solidCountKeys", path: "potential.pinning.cv.solid_count", keys: PinningSection.solidCountKeys,
              page: "potential-pinning.md", prefix: "cv.solid_count"),
        Block(source: "PluginSection.mlKeys", path: "potential.ml", keys: PluginSection.mlKeys, page: "potential-ml.md", prefix: ""),
        Block(source: "NeighborSection.keys", path: "neighbor", keys: NeighborSection.keys, page: "neighbor.md", prefix: ""),
        Block(source: "MDSection.keys", path: "md", keys: MDSection.keys, page: "md.md", prefix: ""),
        Block(source: "ThermostatSection.kinds", path: "md.thermostat", keys: ThermostatSection.kinds, page: "md.md", prefix: "thermostat"),
        Block(source: "ThermostatSection.langevinKeys", path: "md.thermostat.langevin", keys: ThermostatSection.langevinKeys,
              page: "md.md", prefix: "thermostat.langevin"),
        Block(source: "ThermostatSection.csvrKeys", path: "md.thermostat.csvr", keys: ThermostatSection.csvrKeys,
              page: "md.md", prefix: "thermostat.csvr"),
        Block(source: "BarostatSection.keys", path: "md.barostat", keys: BarostatSection.keys, page: "md.md", prefix: "barostat"),
        Block(source: "PathIntegralSection.keys", path: "md.path_integral", keys: PathIntegralSection.keys, page: "path-integrals.md", prefix: ""),
        Block(source: "MinimizeSection.keys", path: "minimize", keys: MinimizeSection.keys, page: "minimize.md", prefix: ""),
        Block(source: "MinimizeSection.cellKeys", path: "minimize.cell", keys: MinimizeSection.cellKeys, page: "minimize.md", prefix: "cell"),
        Block(source: "MeltSection.keys", path: "melt", keys: MeltSection.keys, page: "melt.md", prefix: ""),
        Block(source: "MeltSection.stepKeys", path: "melt.steps", keys: MeltSection.stepKeys, page: "melt.md", prefix: "steps"),
        Block(source: "RunKindSection.singlePointKeys", path: "single_point", keys: RunKindSection.singlePointKeys,
              page: "single-point.md", prefix: ""),
        Block(source: "ReplicasSection.keys", path: "replicas", keys: ReplicasSection.keys, page: "replicas.md", prefix: ""),
        Block(source: "ReplicasSection.ladderKeys", path: "replicas.ladder", keys: ReplicasSection.ladderKeys, page: "replicas.md", prefix: "ladder"),
        Block(source: "ReplicasSection.exchangeKeys", path: "replicas.exchange", keys: ReplicasSection.exchangeKeys,
              page: "replicas.md", prefix: "exchange"),
        Block(source: "MonteCarloSection.keys", path: "monte_carlo", keys: MonteCarloSection.keys, page: "monte-carlo.md", prefix: ""),
        Block(source: "MonteCarloSection.swapKeys", path: "monte_carlo.swap", keys: MonteCarloSection.swapKeys,
              page: "monte-carlo.md", prefix: "swap"),
        Block(source: "MonteCarloSection.semiGrandKeys", path: "monte_carlo.semi_grand", keys: MonteCarloSection.semiGrandKeys,
              page: "monte-carlo.md", prefix: "semi_grand"),
        Block(source: "MonteCarloSection.varianceKeys", path: "monte_carlo.semi_grand.variance", keys: MonteCarloSection.varianceKeys,
              page: "monte-carlo.md", prefix: "semi_grand.variance"),
        Block(source: "OutputSection.keys", path: "output", keys: OutputSection.keys, page: "output.md", prefix: ""),
        Block(source: "OutputSection.thermoKeys", path: "output.thermo", keys: OutputSection.thermoKeys, page: "output.md", prefix: "thermo"),
        Block(source: "OutputSection.trajectoryKeys", path: "output.trajectory", keys: OutputSection.trajectoryKeys,
              page: "output.md", prefix: "trajectory"),
        Block(source: "OutputSection.profileKeys", path: "output.composition_profile", keys: OutputSection.profileKeys,
              page: "output.md", prefix: "composition_profile"),
        Block(source: "OutputSection.sroKeys", path: "output.sro", keys: OutputSection.sroKeys, page: "output.md", prefix: "sro"),
        Block(source: "OutputSection.checkpointKeys", path: "output.checkpoint", keys: OutputSection.checkpointKeys,
              page: "checkpoint.md", prefix: ""),
    ]

    /// The repository root, from this file's place in it (Tests/CrucibleTests/Deck/).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var docs: String { root.appendingPathComponent("docs").path }

    /// The backticked paths in the first cells of the rows of `text`'s key table: the first table
    /// whose header's first cell is `header`. Nil when the page has no such table.
    static func keyTablePaths(_ text: String, header: String = "key") -> Set<String>? {
        var paths: Set<String> = []
        var inTable = false, found = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("|") else {
                if inTable { break }  // the key table ended
                continue
            }
            let cells = trimmed.dropFirst().split(separator: "|", omittingEmptySubsequences: false)
            let first = cells.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if !inTable {
                if first == header { inTable = true; found = true }
                continue
            }
            if first.allSatisfy({ $0 == "-" || $0 == ":" }) { continue }  // the |---| line
            let spans = first.split(separator: "`", omittingEmptySubsequences: false)
            for (index, span) in spans.enumerated() where index % 2 == 1 { paths.insert(String(span)) }
        }
        return found ? paths : nil
    }

    /// True when `paths` document `key`: the path itself or a longer one through it.
    static func documents(_ paths: Set<String>, _ key: String) -> Bool {
        paths.contains { $0 == key || $0.hasPrefix(key + ".") || $0.hasPrefix(key + "[].") }
    }

    /// Every accepted key the docs in `folder` do not document, as "page: `row` (deck path)".
    static func undocumentedKeys(docs folder: String) -> [String] {
        var missing: [String] = []
        let blockPaths = Set(blocks.map(\.path))
        var tables: [String: Set<String>?] = [:]
        func table(_ page: String, header: String = "key") -> Set<String>? {
            if let cached = tables[page + "|" + header] { return cached }
            let text = try? String(contentsOfFile: folder + "/" + page, encoding: .utf8)
            let paths = text.flatMap { keyTablePaths($0, header: header) }
            tables[page + "|" + header] = paths
            return paths
        }
        for block in blocks {
            guard FileManager.default.fileExists(atPath: folder + "/" + block.page) else {
                missing.append("\(block.page): the page of '\(block.path)' does not exist")
                continue
            }
            for key in block.keys where !blockPaths.contains(block.child(key)) {
                guard let paths = table(block.page) else {
                    missing.append("\(block.page): no key table (a table whose header starts with '| key |')")
                    break
                }
                if !documents(paths, block.row(key)) { missing.append("\(block.page): `\(block.row(key))` (\(block.child(key)))") }
            }
        }
        // The index in README.md names every top-level key.
        if let index = table("README.md", header: "top-level key") {
            for key in DeckDecoder.topLevelKeys where !documents(index, key) { missing.append("README.md: `\(key)` (index table)") }
        } else {
            missing.append("README.md: no index table (header '| top-level key |')")
        }
        return missing
    }

    @Test("every key the deck decoder accepts has a row in its block's page")
    func everyKeyIsDocumented() {
        let missing = Self.undocumentedKeys(docs: Self.docs)
        #expect(missing.isEmpty, "undocumented keys (rule: docs/README.md, 'Keeping these pages in step with the decoder'):\n\(missing.joined(separator: "\n"))")
    }

    /// The check can fail: docs with a row removed (in a copy) are caught, naming the key.
    @Test("a removed row is reported", arguments: [
        ("neighbor.md", "| `skin` |", "neighbor.md: `skin` (neighbor.skin)"),
        ("md.md", "| `thermostat.csvr.tau` |", "md.md: `thermostat.csvr.tau` (md.thermostat.csvr.tau)"),
        ("checkpoint.md", "| `every` |", "checkpoint.md: `every` (output.checkpoint.every)"),
        ("README.md", "| `minimize` |", "README.md: `minimize` (index table)"),
    ])
    func removedRowIsReported(page: String, rowStart: String, expected: String) throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("crucible-docs-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: Self.docs, toPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let path = copy + "/" + page
        let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        let kept = lines.filter { !$0.hasPrefix(rowStart) }
        try #require(kept.count == lines.count - 1, "\(page) has no single row starting with \(rowStart)")
        try kept.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(Self.undocumentedKeys(docs: copy) == [expected])
    }

    /// The registry above is complete: every key list declared in the deck readers is in it, and no
    /// reader passes an inline array literal to MapReader.
    @Test("every key list of the section readers is registered")
    func everyKeyListIsRegistered() throws {
        let folder = Self.root.appendingPathComponent("Sources/CrucibleIO/Deck").path
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".swift") }
        #expect(names.count > 20)
        let declaration = try Regex(#"static let (\w*(?:keys|Keys|kinds|Kinds))\b"#)
        let enumName = try Regex(#"enum (\w+)"#)
        let inlineLiteral = try Regex(#"MapReader\([^)]*allowed: \["#)
        var declared: Set<String> = []
        for name in names {
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            let inline = text.contains(inlineLiteral)
            #expect(!inline, "\(name) passes an inline key list to MapReader: hoist it into a static list")
            guard let owner = text.firstMatch(of: enumName)?.output[1].substring else { continue }
            for match in text.matches(of: declaration) {
                if let list = match.output[1].substring { declared.insert("\(owner).\(list)") }
            }
        }
        let registered = Set(Self.blocks.map(\.source))
        #expect(declared.contains("DeckDecoder.topLevelKeys") && declared.contains("ThermostatSection.langevinKeys"))
        #expect(declared.subtracting(registered).isEmpty, "key lists not registered in DocsCoverageTests.blocks: \(declared.subtracting(registered).sorted())")
        #expect(registered.subtracting(declared).isEmpty, "registered lists not found in the sources: \(registered.subtracting(declared).sorted())")
    }
}
