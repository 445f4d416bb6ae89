import CrucibleCore
import Foundation
import Yams

/// A physical baseline under an ML model: a `potential` block (lj and eam terms, the deck's syntax)
/// kept as text, with the folder its file paths are relative to. The fit file gives it; the model
/// file stores it (folder relative to the model file), and whoever loads the model decodes it again.
public struct BaselineBlock: Sendable, Equatable {
    /// The block as YAML flow text, e.g. `{eam: {file: CuNi.eam.alloy}}`.
    public var text: String
    /// Absolute folder that relative paths in `text` start from.
    public var directory: String
    /// The decoded terms (absolute paths).
    public var terms: [PotentialTermPlan]

    static let kinds: Set<String> = ["lj", "eam"]

    /// Decodes `value` (a fit file's `baseline`) as a potential block of lj and eam terms.
    static func decode(_ value: DeckValue, _ context: DeckContext) -> BaselineBlock? {
        guard let decoded = PotentialSection.decode(value, context) else { return nil }
        for term in decoded.terms {
            switch term {
            case .lennardJones, .eam: continue
            default:
                context.report("baseline: only lj and eam terms (a physical potential under the model)", about: value)
                return nil
            }
        }
        guard let text = try? Yams.serialize(node: value.node).trimmingCharacters(in: .whitespacesAndNewlines) else {
            context.report("baseline: cannot be written back as text", about: value)
            return nil
        }
        return BaselineBlock(text: text, directory: context.baseDirectory, terms: decoded.terms)
    }

    /// Decodes `text` again (as a model file stores it), paths relative to `directory`; errors name `file`.
    public static func decode(text: String, directory: String, file: String) throws -> BaselineBlock {
        let composed: ComposedDeck
        switch DeckComposition.compose(text, fileName: file) {
        case .success(let deck): composed = deck
        case .failure(let errors): throw errors
        }
        let context = DeckContext(problems: ProblemLog(fileName: file), renamedKeys: composed.renamedKeys, baseDirectory: directory)
        guard let root = composed.root,
              let block = decode(DeckValue(node: root, path: .root, keyPosition: nil), context), context.problems.isEmpty else {
            if context.problems.isEmpty { throw InputError(file: file, key: "model.baseline", "an empty baseline") }
            throw context.problems.sorted
        }
        return block
    }
}
