/// `neighbor`: neighbour-list settings (LAMMPS `neighbor` + `neigh_modify every/check`).
enum NeighborSection {
    static let keys = ["skin", "every", "check"]
    static let defaultSkin = 1.0

    /// The settings, or nil after reporting a problem.
    static func decode(_ value: DeckValue?, _ context: DeckContext) -> NeighborPlan? {
        guard let value else { return NeighborPlan(skin: defaultSkin, every: 1, check: true) }
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        let skin = map.optional("skin").read(default: defaultSkin) { $0.number(context, .nonNegative("Å")) }
        let every = map.optional("every").read(default: 1) { $0.integer(context, atLeast: 1) }
        let check = map.optional("check").read(default: true) { $0.flag(context) }
        guard let skin, let every, let check else { return nil }
        return NeighborPlan(skin: skin, every: every, check: check)
    }
}

/// When the neighbour list is rebuilt.
public struct NeighborPlan: Sendable, Equatable {
    public var skin: Double     // Å ≥ 0 (default 1.0)
    public var every: Int       // look at the list every this many steps (default 1)
    public var check: Bool      // rebuild only if an atom moved more than skin/2 (default true); false: rebuild every `every` steps

    public init(skin: Double, every: Int, check: Bool) {
        self.skin = skin; self.every = every; self.check = check
    }
}
