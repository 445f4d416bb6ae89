import Yams

/// A 1-based line and column in the deck text (columns count Unicode scalars, as libyaml does).
struct SourcePosition: Hashable, Comparable, Sendable {
    var line: Int
    var column: Int

    static let start = SourcePosition(line: 1, column: 1)

    init(line: Int, column: Int) {
        // Clamp so every reported place is a real one, whatever the parser said.
        self.line = max(1, line)
        self.column = max(1, column)
    }

    init?(_ mark: Mark?) {
        guard let mark else { return nil }
        self.init(line: mark.line, column: mark.column)
    }

    static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}
