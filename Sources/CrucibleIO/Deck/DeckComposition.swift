import CrucibleCore
import Yams

/// The deck's YAML tree plus the duplicate keys that were renamed to get it.
struct ComposedDeck {
    let root: Node?
    let renamedKeys: [SourcePosition: String]
}

enum DeckComposition {
    /// Each rename costs a full parse: enough passes for any real deck, few for a huge file.
    /// Past the budget, the next duplicate is reported as Yams sees it.
    static func renameBudget(for text: String) -> Int {
        text.utf8.count > 1_000_000 ? 5 : 100
    }

    static func compose(_ text: String, fileName: String) -> Result<ComposedDeck, DeckErrors> {
        // libyaml, told the encoding up front, reads a byte-order mark as content; editors show none.
        let text = text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
        var current = text
        var renamed: [SourcePosition: String] = [:]
        let budget = renameBudget(for: text)
        for pass in 0...budget {
            do {
                let root = try Yams.compose(yaml: current)
                return .success(ComposedDeck(root: root, renamedKeys: renamed))
            } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) where pass < budget {
                let position = SourcePosition(line: context.mark.line, column: context.mark.column)
                guard let name = duplicates.first,
                      renamed[position] == nil,
                      let marker = DuplicateKeyMarking.marker(forPass: pass),
                      let marked = DuplicateKeyMarking.mark(key: name, at: position, in: current, with: marker) else {
                    return .failure(DeckErrors([duplicateError(name: duplicates.first ?? "?", at: position, fileName: fileName)]))
                }
                renamed[position] = name
                current = marked
            } catch {
                return .failure(DeckErrors([YAMLErrorTranslation.inputError(error, text: text, fileName: fileName)]))
            }
        }
        return .failure(DeckErrors([InputError(file: fileName, line: 1, column: 1, "too many duplicate keys")]))
    }

    private static func duplicateError(name: String, at position: SourcePosition, fileName: String) -> InputError {
        InputError(file: fileName, line: position.line, column: position.column, key: DeckValue.printable(name),
                   "duplicate key '\(DeckValue.printable(name))' in the same map")
    }
}
