/// What every section reader needs: where problems go, which duplicate keys were renamed
/// before parsing (see DuplicateKeyMarking), and the folder relative paths start from.
struct DeckContext {
    let problems: ProblemLog
    let renamedKeys: [SourcePosition: String]
    let baseDirectory: String

    func report(_ message: String, at position: SourcePosition, path: DeckPath?) {
        problems.add(message, at: position, path: path)
    }

    /// Reports a problem with a value itself (its type or range).
    func report(_ message: String, about value: DeckValue) {
        problems.add(message, at: value.position, path: value.path)
    }
}
