import CrucibleCore
import CrucibleIO
import Foundation

/// A folder with the small input files the test decks name, created once per test run.
enum DeckFixtures {
    static let folder: String = {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("deck-tests-\(ProcessInfo.processInfo.processIdentifier)").path
        try? FileManager.default.createDirectory(atPath: folder + "/out", withIntermediateDirectories: true)
        // Contents do not matter: the deck checker only needs the files to exist.
        for name in ["start.xyz", "Cu_u3.eam", "Ni_u3.eam", "CuNi.eam.alloy", "FeC.eam.fs", "mystery.pot", "u3.eam"] {
            _ = FileManager.default.createFile(atPath: folder + "/" + name, contents: Data("fixture\n".utf8))
        }
        return folder
    }()

    static let fileName = "deck.yaml"

    static func decode(_ text: String) throws -> RunPlan {
        try decodeDeck(text: text, fileName: fileName, baseDirectory: folder)
    }

    /// The errors a bad deck produces; empty when it decodes.
    static func errors(_ text: String) -> [InputError] {
        do {
            _ = try decode(text)
            return []
        } catch let errors as DeckErrors {
            return errors.errors
        } catch {
            return [InputError(file: "?", "unexpected error type: \(error)")]
        }
    }
}
