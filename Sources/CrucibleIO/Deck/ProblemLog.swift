import CrucibleCore

/// Collects problems from every section so one run of the checker reports them all.
/// A class because every section reader appends to the same list.
final class ProblemLog {
    let fileName: String
    private(set) var errors: [InputError] = []

    init(fileName: String) {
        self.fileName = fileName
    }

    var isEmpty: Bool { errors.isEmpty }

    func add(_ message: String, at position: SourcePosition, path: DeckPath?) {
        let key = path.flatMap { $0.isRoot ? nil : $0.description }
        errors.append(InputError(file: fileName, line: position.line, column: position.column, key: key, message))
    }

    /// The collected problems in deck order (stable for problems at the same place).
    var sorted: DeckErrors {
        let ordered = errors.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.line ?? 0, lhs.element.column ?? 0, lhs.offset)
            let right = (rhs.element.line ?? 0, rhs.element.column ?? 0, rhs.offset)
            return left < right
        }
        return DeckErrors(ordered.map(\.element))
    }
}
