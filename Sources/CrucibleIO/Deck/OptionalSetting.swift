/// The outcome of reading an optional section, keeping "absent" apart from "given but wrong"
/// (the latter was already reported and must stop the plan from being built).
enum OptionalSetting<Value> {
    case absent
    case invalid
    case valid(Value)

    init(_ value: DeckValue?, _ decode: (DeckValue) -> Value?) {
        guard let value else {
            self = .absent
            return
        }
        self = decode(value).map(OptionalSetting.valid) ?? .invalid
    }

    var isInvalid: Bool {
        if case .invalid = self { return true }
        return false
    }

    var value: Value? {
        if case .valid(let value) = self { return value }
        return nil
    }
}

extension Optional where Wrapped == DeckValue {
    /// An optional setting with a default: the default when absent, nil (already reported) when invalid.
    func read<Value>(default fallback: Value, _ decode: (DeckValue) -> Value?) -> Value? {
        guard let self else { return fallback }
        return decode(self)
    }
}
