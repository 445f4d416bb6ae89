import Yams

extension DeckValue {
    /// The items of a list, each with its own path (`repeat[2]`) and position.
    func list(_ context: DeckContext, of what: String) -> [DeckValue]? {
        guard case .sequence(let sequence) = node else {
            context.report("expected a list of \(what), found \(found)", about: self)
            return nil
        }
        return sequence.enumerated().map { index, item in
            DeckValue(node: item, path: path.appending(index: index), keyPosition: nil)
        }
    }

    /// A list of keywords with no repeats, e.g. `columns: [step, time]`.
    func choiceList<Choice: DeckChoice & Equatable>(_ context: DeckContext, _ type: Choice.Type,
                                                     allowEmpty: Bool = false) -> [Choice]? {
        guard let items = list(context, of: "\(Choice.choiceName)s") else { return nil }
        if items.isEmpty && !allowEmpty {
            context.report("must list at least one \(Choice.choiceName) (allowed: \(Choice.spellings.joined(separator: ", ")))", about: self)
            return nil
        }
        var choices: [Choice] = []
        var failed = false
        for item in items {
            guard let choice = item.choice(context, type) else {
                failed = true
                continue
            }
            if choices.contains(choice) {
                context.report("'\(choice.rawValue)' is listed twice", about: item)
                failed = true
                continue
            }
            choices.append(choice)
        }
        return failed ? nil : choices
    }
}

extension DeckValue {
    /// A non-empty list of integer triples such as [[2, 0, 0], [0, 2, 0]] (wave vectors, Miller
    /// indices); `what` names them in messages. Nil after reporting.
    func integerTriples(_ context: DeckContext, what: String) -> [[Int]]? {
        guard let items = list(context, of: what) else { return nil }
        guard !items.isEmpty else {
            context.report("the list of \(what) is empty; give at least one such as [2, 0, 0]", about: self)
            return nil
        }
        var triples: [[Int]] = []
        for item in items {
            guard let parts = item.list(context, of: "three integers"), parts.count == 3 else {
                context.report("\(what) are three integers such as [2, 0, 0], found \(item.found)", about: item)
                return nil
            }
            let ints = parts.compactMap { $0.signedInteger(context) }
            guard ints.count == 3 else { return nil }
            triples.append(ints)
        }
        return triples
    }
}
