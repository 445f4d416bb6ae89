/// Exactly one of `md`, `minimize`, `single_point` at the top level.
enum RunKindSection {
    static let keys = ["md", "minimize", "single_point"]
    /// `single_point` takes no settings.
    static let singlePointKeys: [String] = []

    static func decode(_ root: MapReader, _ context: DeckContext) -> RunKind? {
        guard let chosen = root.exactlyOne(of: keys, context,
                                           missing: "missing run kind: add one of 'md', 'minimize' or 'single_point'")
        else { return nil }
        switch chosen.key {
        case "md":
            return MDSection.decode(chosen.value, context).map(RunKind.md)
        case "minimize":
            return MinimizeSection.decode(chosen.value, context).map(RunKind.minimize)
        default:
            // single_point takes no settings; MapReader reports any key given.
            guard let map = MapReader(chosen.value, allowed: singlePointKeys, context: context), map.unknownKeys.isEmpty else { return nil }
            return .singlePoint
        }
    }
}
