import Yams

/// One node of the deck together with its key path and source position,
/// so any problem with it can say exactly where it is.
struct DeckValue {
    let node: Node
    let path: DeckPath
    /// Position of the key that names this value; nil for list items and the root.
    let keyPosition: SourcePosition?

    /// Where problems with the value itself are reported. An empty value (`steps:`)
    /// has no text of its own, so its key stands in.
    var position: SourcePosition {
        if isNull, let keyPosition { return keyPosition }
        return SourcePosition(node.mark) ?? keyPosition ?? .start
    }

    /// Where problems about something missing inside this value are reported: its key line.
    var anchorPosition: SourcePosition {
        keyPosition ?? position
    }

    /// True for `~`, `null` and an empty value, written without quotes.
    var isNull: Bool {
        guard case .scalar(let scalar) = node else { return false }
        guard scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// The value as a message shows it after "found": 'abc', a list, a map, nothing.
    var found: String {
        switch node {
        case .mapping: return "a map"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if isNull { return "nothing" }
            return "'\(Self.printable(scalar.string))'"
        }
    }

    /// Shortens long text and makes control characters visible so messages stay one readable line.
    static func printable(_ text: String, limit: Int = 40) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit {
                result += "…"
                break
            }
            count += 1
            if scalar.properties.generalCategory == .control || scalar.value == 0xFEFF {
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
