/// `md.path_integral`: ring-polymer beads, internal-mode friction, centroid thermostat, propagator.
enum PathIntegralSection {
    static let keys = ["beads", "lambda", "centroid", "propagator", "preset"]

    static func decode(_ value: DeckValue, _ context: DeckContext) -> PathIntegralPlan? {
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        let beads = map.required("beads", context, hint: "the number of beads per atom (P)")?.integer(context, atLeast: 1)
        let preset = OptionalSetting(map.optional("preset")) { $0.choice(context, PathIntegralPreset.self) }
        // TRPMD (Rossi, Ceriotti & Manolopoulos, JCP 140, 234116 (2014)): λ = 1/2, centroid free.
        let trpmd = preset.value == .trpmd
        var conflict = false
        for key in ["lambda", "centroid"] where trpmd {
            if let set = map.optional(key) {
                conflict = true
                context.report("'\(key)' is fixed by preset: trpmd (lambda 0.5, centroid free); remove one of them",
                               at: set.anchorPosition, path: set.path)
            }
        }
        let lambda = map.optional("lambda").read(default: trpmd ? 0.5 : 1.0) { $0.number(context, .nonNegative("")) }
        let centroid = map.optional("centroid").read(default: trpmd ? .free : .thermostat) { $0.choice(context, PathIntegralPlan.Centroid.self) }
        let propagator = map.optional("propagator").read(default: .exact) { $0.choice(context, PathIntegralPlan.Propagator.self) }
        guard let beads, let lambda, let centroid, let propagator, !preset.isInvalid, !conflict else { return nil }
        return PathIntegralPlan(beads: beads, lambda: lambda, centroid: centroid, propagator: propagator)
    }
}
