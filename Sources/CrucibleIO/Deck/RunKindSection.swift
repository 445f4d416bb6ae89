/// Exactly one of `md`, `minimize`, `single_point` at the top level.
enum RunKindSection {
    static let keys = ["md", "minimize", "single_point", "melt"]
    /// `single_point` takes no settings.
    static let singlePointKeys: [String] = []

    static func decode(_ root: MapReader, _ context: DeckContext, deckPath: String) -> RunKind? {
        guard let chosen = root.exactlyOne(of: keys, context,
                                           missing: "missing run kind: add one of 'md', 'minimize', 'single_point' or 'melt'")
        else { return nil }
        switch chosen.key {
        case "md":
            return MDSection.decode(chosen.value, context).map(RunKind.md)
        case "minimize":
            return MinimizeSection.decode(chosen.value, context).map(RunKind.minimize)
        case "melt":
            return MeltSection.decode(chosen.value, context, deckPath: deckPath).map(RunKind.melt)
        default:
            // single_point takes no settings; MapReader reports any key given.
            guard let map = MapReader(chosen.value, allowed: singlePointKeys, context: context), map.unknownKeys.isEmpty else { return nil }
            return .singlePoint
        }
    }
}
