import Yams

/// A map from the deck whose keys were checked on creation: unknown and non-name keys are
/// reported once, here, so section readers only ask for what they need.
struct MapReader {
    let value: DeckValue
    private var entries: [String: DeckValue] = [:]
    /// Allowed keys that are present, in deck order.
    private(set) var presentKeys: [String] = []
    /// Keys reported as unknown; used to keep a typo from also causing a "missing key" error.
    private(set) var unknownKeys: [String] = []

    var path: DeckPath { value.path }

    /// Nil (after reporting) when the value is not a map. An empty value counts as an empty map,
    /// so `single_point:` and `single_point: {}` mean the same.
    /// `describeUnknown` words the error for maps whose keys are data, such as element symbols.
    init?(_ value: DeckValue, allowed: [String], context: DeckContext,
          describeUnknown: ((String) -> String)? = nil) {
        self.value = value
        if value.isNull { return }
        guard case .mapping(let mapping) = value.node else {
            let keys = allowed.isEmpty ? "" : " with keys " + allowed.joined(separator: ", ")
            context.report("expected a map\(keys), found \(value.found)", about: value)
            return nil
        }
        var seen: Set<String> = []
        for (keyNode, valueNode) in mapping {
            let keyPosition = SourcePosition(keyNode.mark) ?? value.position
            guard case .scalar(let keyScalar) = keyNode else {
                let keyValue = DeckValue(node: keyNode, path: path, keyPosition: nil)
                context.report("keys must be names, found \(keyValue.found) used as a key", at: keyPosition, path: path)
                continue
            }
            let name = context.renamedKeys[keyPosition] ?? keyScalar.string
            let childPath = path.appending(name)
            // Later copies of a key were reported by DuplicateKeyReport; the first copy wins.
            guard seen.insert(name).inserted else { continue }
            guard allowed.contains(name) else {
                let message = describeUnknown?(name) ?? Self.unknownKeyMessage(name, allowed: allowed, path: path)
                context.report(message, at: keyPosition, path: childPath)
                unknownKeys.append(name)
                continue
            }
            entries[name] = DeckValue(node: valueNode, path: childPath, keyPosition: keyPosition)
            presentKeys.append(name)
        }
    }

    static func unknownKeyMessage(_ key: String, allowed: [String], path: DeckPath) -> String {
        let shown = DeckValue.printable(key)
        var message = path.isRoot ? "unknown top-level key '\(shown)'" : "unknown key '\(shown)' in \(path.spoken)"
        if let guess = suggestion(for: key, among: allowed) {
            message += "; did you mean '\(guess)'?"
        } else if let home = MisplacedKeys.hint(for: key, at: path) {
            message += "; \(home)"
        } else if allowed.isEmpty {
            message += " (it takes no keys)"
        } else {
            message += " (allowed: \(allowed.joined(separator: ", ")))"
        }
        return message
    }

    func optional(_ key: String) -> DeckValue? {
        entries[key]
    }

    /// True when an unknown key here looks like a misspelling of one of `keys`.
    func hasMisspelling(of keys: [String]) -> Bool {
        unknownKeys.contains { suggestion(for: $0, among: keys) != nil }
    }

    func required(_ key: String, _ context: DeckContext, hint: String? = nil) -> DeckValue? {
        if let entry = entries[key] { return entry }
        if hasMisspelling(of: [key]) { return nil }
        var message = path.isRoot ? "missing required key '\(key)'" : "missing required key '\(key)' in \(path.spoken)"
        if let hint { message += "; \(hint)" }
        context.report(message, at: value.anchorPosition, path: path.appending(key))
        return nil
    }

    /// The one key of `keys` that is present. Reports when none or several are given.
    func exactlyOne(of keys: [String], _ context: DeckContext, missing: String) -> (key: String, value: DeckValue)? {
        let given = presentKeys.filter(keys.contains)
        guard let first = given.first, let firstValue = entries[first] else {
            if !hasMisspelling(of: keys) {
                context.report(missing, at: value.anchorPosition, path: path)
            }
            return nil
        }
        if given.count > 1 {
            let others = keys.map { "'\($0)'" }.joined(separator: ", ")
            for extra in given.dropFirst() {
                guard let extraValue = entries[extra] else { continue }
                context.report("'\(extra)' cannot be combined with '\(first)': give exactly one of \(others)",
                               at: extraValue.anchorPosition, path: extraValue.path)
            }
            return nil
        }
        return (first, firstValue)
    }
}
