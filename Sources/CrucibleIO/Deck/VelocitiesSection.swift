/// `system.velocities`: Maxwell–Boltzmann velocities at a temperature.
enum VelocitiesSection {
    static let keys = ["temperature", "seed"]

    static func decode(_ value: DeckValue, masterSeed: UInt64, _ context: DeckContext) -> VelocityPlan? {
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        let temperature = map.required("temperature", context, hint: "the temperature in K")?.number(context, .nonNegative("K"))
        let seed = map.optional("seed").read(default: masterSeed) { $0.integer(context, atLeast: 0).map(UInt64.init) }
        guard let temperature, let seed else { return nil }
        return VelocityPlan(temperature: temperature, seed: seed)
    }
}
