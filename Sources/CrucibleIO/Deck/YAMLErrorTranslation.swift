import CrucibleCore
import Yams

/// Turns Yams' errors into InputErrors with a deck line and column and a message for people.
enum YAMLErrorTranslation {
    static func inputError(_ error: Error, text: String, fileName: String) -> InputError {
        guard let yamlError = error as? YamlError else {
            return InputError(file: fileName, line: 1, column: 1, "could not parse the deck as YAML: \(error)")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let position = placedInText(SourcePosition(line: mark.line, column: mark.column), text: text)
            let message = syntaxMessage(problem: problem, context: context, at: position, text: text)
            return InputError(file: fileName, line: position.line, column: position.column, message)
        case .reader(let problem, let offset, let value, _):
            let position = offset.map { TextLines.position(ofCharacterOffset: $0, in: text) } ?? .start
            var message = "the deck is not readable text: \(problem)"
            if value >= 0 { message += " (character U+\(String(value, radix: 16, uppercase: true)))" }
            return InputError(file: fileName, line: position.line, column: position.column, message)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "'\(DeckValue.printable($0))'" }.joined(separator: ", ")
            return InputError(file: fileName, line: max(1, context.mark.line), column: max(1, context.mark.column),
                              key: duplicates.first.map { DeckValue.printable($0) }, "duplicate key \(names) in the same map")
        default:
            return InputError(file: fileName, line: 1, column: 1, "could not parse the deck as YAML: \(yamlError)")
        }
    }

    /// libyaml reports an error at the end of the input on the line after the final line break,
    /// which no editor shows: move it to the end of the last line.
    private static func placedInText(_ position: SourcePosition, text: String) -> SourcePosition {
        var lines = TextLines.lines(of: text)
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        guard position.line > lines.count, let last = lines.last else { return position }
        return SourcePosition(line: lines.count, column: last.count + 1)
    }

    private static func syntaxMessage(problem: String, context: YamlError.Context?, at position: SourcePosition,
                                      text: String) -> String {
        if problem.contains("another document") {
            return "the deck holds more than one YAML document ('---' starts a new one); keep a single document"
        }
        if problem.contains("Maximum nesting level") {
            return "the deck is nested too deeply for a deck (over 1000 levels)"
        }
        var message = "YAML syntax error: \(problem)"
        if let context {
            let contextLine = max(1, context.mark.line)
            message += contextLine == position.line ? " (\(context.text))" : " (\(context.text) at line \(contextLine))"
        }
        if lineHasTabIndent(position.line, in: text) || problem.contains("tab") {
            message += "; YAML indents with spaces, not tabs"
        }
        return message
    }

    private static func lineHasTabIndent(_ line: Int, in text: String) -> Bool {
        let lines = TextLines.lines(of: text)
        guard line >= 1, line <= lines.count else { return false }
        return lines[line - 1].prefix { $0 == " " || $0 == "\t" }.contains("\t")
    }
}
