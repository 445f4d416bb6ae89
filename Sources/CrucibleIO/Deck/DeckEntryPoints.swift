import CrucibleCore
import Foundation

/// Reads, parses and checks the deck at `path`. Throws `DeckErrors` listing every problem found.
public func loadDeck(path: String) throws -> RunPlan {
    let absolute = FileReferences.absolutePath(path, base: FileManager.default.currentDirectoryPath)
    let text = try DeckFile.read(path: path, absolutePath: absolute)
    let folder = (absolute as NSString).deletingLastPathComponent
    return try planDeck(text: text, fileName: path, baseDirectory: folder, deckPath: absolute)
}

/// Parses and checks deck text. `fileName` names the deck in errors; relative paths in the deck
/// are resolved from `baseDirectory`. Throws `DeckErrors` listing every problem found.
public func decodeDeck(text: String, fileName: String, baseDirectory: String) throws -> RunPlan {
    let base = FileReferences.absolutePath(baseDirectory, base: FileManager.default.currentDirectoryPath)
    return try planDeck(text: text, fileName: fileName, baseDirectory: base,
                        deckPath: FileReferences.absolutePath(fileName, base: base))
}

/// Compose, then decode and check; problems from every section are thrown together.
private func planDeck(text: String, fileName: String, baseDirectory: String, deckPath: String) throws -> RunPlan {
    let composed: ComposedDeck
    switch DeckComposition.compose(text, fileName: fileName) {
    case .success(let deck): composed = deck
    case .failure(let errors): throw errors
    }
    let context = DeckContext(problems: ProblemLog(fileName: fileName), renamedKeys: composed.renamedKeys,
                              baseDirectory: baseDirectory)
    DuplicateKeyReport.report(composed.root, context)
    let source = DeckDecoder.Source(text: text, deckPath: deckPath)
    guard let plan = DeckDecoder.decode(composed.root, source: source, context), context.problems.isEmpty else {
        if context.problems.isEmpty {
            // Every path that fails reports why; this guards against a silent gap.
            context.report("the deck could not be read (internal error: no problem was reported)", at: .start, path: nil)
        }
        throw context.problems.sorted
    }
    return plan
}
