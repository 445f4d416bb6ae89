/// `neighbor`: neighbor-list settings.
enum NeighborSection {
    static let keys = ["skin"]
    static let defaultSkin = 1.0

    /// The skin in Å, or nil after reporting a problem.
    static func decode(_ value: DeckValue?, _ context: DeckContext) -> Double? {
        guard let value else { return defaultSkin }
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        return map.optional("skin").read(default: defaultSkin) { $0.number(context, .nonNegative("Å")) }
    }
}
