import Foundation
import Testing
@testable import CrucibleEngine

/// The melting point of copper with the Mishin EAM (Cu_mishin1.eam.alloy) at 0 bar by the whole
/// interface-pinning workflow (the shipped deck Inputs/melt_cu.yaml: 2,880 atoms, four temperatures,
/// 40 ps of pinned production each; about 8 minutes on 2 cores), against the coexistence value of
/// the potential's authors, T_m = 1327 K (Mishin et al., Phys. Rev. B 63, 224106 (2001)).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CRUCIBLE_PHYSICS"] == "1")) struct PhysicsMeltingPointTests {
    @Test func copperMeltsWhereItsAuthorsFoundIt() throws {
        let dir = try EngineRunTests.scratch()
        try FileManager.default.copyItem(atPath: IOTestResources.path("Cu_mishin1.eam.alloy"), toPath: dir + "/Cu_mishin1.eam.alloy")
        let deckPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Inputs/melt_cu.yaml").path
        let text = try String(contentsOfFile: deckPath, encoding: .utf8)
            .replacingOccurrences(of: "potentials/Cu_mishin1.eam.alloy", with: "Cu_mishin1.eam.alloy")
        let plan = try decodeDeck(text: text, fileName: "melt_cu.yaml", baseDirectory: dir)
        var simulation = try Simulation(plan: plan, options: RunOptions(outputDirectory: dir + "/melt", quiet: true))
        let summary = try simulation.run()
        for line in summary.notes { print(line) }
        let fitLine = try #require(try String(contentsOfFile: dir + "/melt/delta_mu.csv", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("# fit:") })
        // "# fit: delta_mu = c0 + c1 T; T_m = X +- S K (...)"
        let words = fitLine.split(separator: " ")
        let at = try #require(words.firstIndex(of: "T_m"))
        let tm = try #require(Double(words[at + 2])), sigma = try #require(Double(words[at + 4]))
        #expect(sigma > 0 && sigma < 20, "σ(T_m) = \(sigma) K")
        #expect(abs(tm - 1327) < 3 * sigma + 3, "T_m = \(tm) ± \(sigma) K vs 1327 K")
        // Every temperature kept its interface.
        let rows = try String(contentsOfFile: dir + "/melt/delta_mu.csv", encoding: .utf8).split(separator: "\n").dropFirst().filter { !$0.hasPrefix("#") }
        #expect(rows.count == 4 && rows.allSatisfy { $0.hasSuffix(",kept") })
    }
}
