/// The allowed values and unit of a real-valued setting, which also word the error message.
/// Deck settings only ever have a lower bound, so that is all this models.
struct ValueRange {
    enum Lower {
        case none
        case above(Double)
        case atLeast(Double)
    }

    var lower: Lower
    var unit: String

    static func positive(_ unit: String) -> ValueRange { ValueRange(lower: .above(0), unit: unit) }
    static func nonNegative(_ unit: String) -> ValueRange { ValueRange(lower: .atLeast(0), unit: unit) }
    static func anyValue(_ unit: String) -> ValueRange { ValueRange(lower: .none, unit: unit) }

    func contains(_ value: Double) -> Bool {
        switch lower {
        case .none: return true
        case .above(let bound): return value > bound
        case .atLeast(let bound): return value >= bound
        }
    }

    /// "> 0 Å", "≥ 0 K", "a finite number (bar)".
    var requirement: String {
        let suffix = unit.isEmpty ? "" : " " + unit
        switch lower {
        case .none: return "a finite number" + (unit.isEmpty ? "" : " (\(unit))")
        case .above(let bound): return "> \(NumberText.format(bound))\(suffix)"
        case .atLeast(let bound): return "≥ \(NumberText.format(bound))\(suffix)"
        }
    }
}
