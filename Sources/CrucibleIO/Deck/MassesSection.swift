/// `system.masses`: per-element mass overrides in amu.
enum MassesSection {
    static func decode(_ value: DeckValue, _ context: DeckContext) -> [String: Double]? {
        guard let map = MapReader(value, allowed: ElementSymbols.ordered, context: context,
                                  describeUnknown: ElementSymbols.unknownMessage) else { return nil }
        var masses: [String: Double] = [:]
        for symbol in map.presentKeys {
            if let mass = map.optional(symbol)?.number(context, .positive("amu")) {
                masses[symbol] = mass
            }
        }
        return masses
    }
}
