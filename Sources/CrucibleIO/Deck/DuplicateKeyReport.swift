import Yams

/// Reports every repeated key with its key path, wherever it is, even in sections that are
/// never read (say, an `md` block next to a conflicting `minimize`). Only maps holding a key
/// renamed by DuplicateKeyMarking can repeat a key, so the walk stops once all are found,
/// and walks each aliased collection once.
enum DuplicateKeyReport {
    /// Aliases can make a small file a huge tree; bound the walk.
    static let maximumVisits = 100_000

    static func report(_ root: Node?, _ context: DeckContext) {
        guard let root, !context.renamedKeys.isEmpty else { return }
        var walk = Walk(context: context, remaining: Set(context.renamedKeys.keys))
        walk.visit(root, path: .root)
    }

    private struct Walk {
        let context: DeckContext
        var remaining: Set<SourcePosition>
        var visits = 0

        /// Collections already walked, by start position: an alias repeats its anchor's node, marks and all.
        var walked: Set<SourcePosition> = []

        mutating func visit(_ node: Node, path: DeckPath) {
            visits += 1
            guard !remaining.isEmpty, visits <= DuplicateKeyReport.maximumVisits else { return }
            if case .scalar = node {
                return
            }
            if let position = SourcePosition(node.mark), !walked.insert(position).inserted {
                return
            }
            switch node {
            case .mapping(let mapping):
                var firstSeen: [String: SourcePosition] = [:]
                for (key, value) in mapping {
                    guard case .scalar(let scalar) = key, let position = SourcePosition(key.mark) else { continue }
                    remaining.remove(position)
                    let name = context.renamedKeys[position] ?? scalar.string
                    if let first = firstSeen[name] {
                        context.report("duplicate key '\(DeckValue.printable(name))' (first given at line \(first.line))",
                                       at: position, path: path.appending(name))
                    } else {
                        firstSeen[name] = position
                    }
                    visit(value, path: path.appending(name))
                }
            case .sequence(let sequence):
                for (index, item) in sequence.enumerated() {
                    visit(item, path: path.appending(index: index))
                }
            case .scalar, .alias:
                break
            }
        }
    }
}
