import Yams

/// Typed readers for scalar values. Each reports its own problem and returns nil on failure.
extension DeckValue {
    /// The raw scalar text, whatever its style; nil for maps and lists.
    var scalarText: String? {
        if case .scalar(let scalar) = node { return scalar.string }
        return nil
    }

    /// Quoted scalars are text even when they look like numbers.
    var isPlainScalar: Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain || scalar.style == .any
    }

    func number(_ context: DeckContext, _ range: ValueRange) -> Double? {
        guard let text = scalarText, !isNull else {
            context.report("expected a number, found \(found)", about: self)
            return nil
        }
        guard isPlainScalar else {
            let hint = NumberText.real(text) != nil ? "; remove the quotes" : ""
            context.report("expected a number, found the quoted text \(found)\(hint)", about: self)
            return nil
        }
        if NumberText.isNonFinite(text) {
            context.report("expected a finite number, found \(found)", about: self)
            return nil
        }
        guard let value = NumberText.real(text) else {
            context.report("expected a number, found \(found)", about: self)
            return nil
        }
        guard value.isFinite else {
            context.report("number \(found) is too large to represent", about: self)
            return nil
        }
        guard range.contains(value) else {
            context.report("must be \(range.requirement), found \(Self.printable(text))", about: self)
            return nil
        }
        return value
    }

    func integer(_ context: DeckContext, atLeast minimum: Int) -> Int? {
        guard let text = scalarText, !isNull else {
            context.report("expected an integer, found \(found)", about: self)
            return nil
        }
        guard isPlainScalar else {
            let hint = NumberText.isDecimal(text) ? "; remove the quotes" : ""
            context.report("expected an integer, found the quoted text \(found)\(hint)", about: self)
            return nil
        }
        switch NumberText.integer(text) {
        case .value(let value):
            guard value >= minimum else {
                context.report("must be an integer ≥ \(minimum), found \(Self.printable(text))", about: self)
                return nil
            }
            return value
        case .tooLarge:
            context.report("integer \(found) is too large (the largest is \(Int.max))", about: self)
        case .fractional, .notNumber:
            context.report("expected an integer, found \(found)", about: self)
        }
        return nil
    }

    /// Integers of any sign (frame indices count from the end when negative).
    func signedInteger(_ context: DeckContext) -> Int? {
        integer(context, atLeast: Int.min)
    }

    func flag(_ context: DeckContext) -> Bool? {
        if isPlainScalar, let text = scalarText {
            switch text.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: break
            }
        }
        context.report("expected true or false, found \(found)", about: self)
        return nil
    }

    /// Non-empty text of any scalar style. `what` names it for messages: "a file path".
    func text(_ context: DeckContext, what: String) -> String? {
        guard let text = scalarText, !isNull else {
            context.report("expected \(what), found \(found)", about: self)
            return nil
        }
        guard !text.allSatisfy(\.isWhitespace) else {
            context.report("expected \(what), found empty text", about: self)
            return nil
        }
        return text
    }

    func choice<Choice: DeckChoice>(_ context: DeckContext, _ type: Choice.Type) -> Choice? {
        guard let text = scalarText, !isNull else {
            context.report("expected one of \(Choice.spellings.joined(separator: ", ")), found \(found)", about: self)
            return nil
        }
        if let choice = Choice(rawValue: text) { return choice }
        var message = "unknown \(Choice.choiceName) \(found)"
        if let guess = suggestion(for: text, among: Choice.spellings) {
            message += "; did you mean '\(guess)'?"
        }
        message += " (allowed: \(Choice.spellings.joined(separator: ", ")))"
        context.report(message, about: self)
        return nil
    }

    /// True for a name that can label a thermo column or an H5MD group: ASCII letters, digits and _.
    static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" }
    }

    /// An element symbol such as `Cu`, checked against the periodic table.
    func elementSymbol(_ context: DeckContext) -> String? {
        guard let symbol = text(context, what: "an element symbol") else { return nil }
        guard ElementSymbols.all.contains(symbol) else {
            context.report(ElementSymbols.unknownMessage(symbol), about: self)
            return nil
        }
        return symbol
    }
}
