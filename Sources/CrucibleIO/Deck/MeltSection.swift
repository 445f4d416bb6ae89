import Foundation

/// `melt`: the interface-pinning workflow's settings (see MeltPlan).
enum MeltSection {
    static let keys = ["temperatures", "pressure", "timestep", "damping", "barostat_tau", "compressibility", "kappa",
                       "solid_fraction", "melt_temperature", "miller", "steps", "sample_every", "blocks", "directory"]
    static let stepKeys = ["lattice", "melt", "equilibrate", "production"]

    static func decode(_ value: DeckValue, _ context: DeckContext, deckPath: String) -> MeltPlan? {
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        let temperatures = map.required("temperatures", context, hint: "a list of temperatures (K) around the expected melting point")
            .flatMap { decodeTemperatures($0, context) }
        let pressure = map.optional("pressure").read(default: 0) { $0.number(context, .anyValue("bar")) }
        let timestep = map.optional("timestep").read(default: 0.002) { $0.number(context, .positive("ps")) }
        let damping = map.optional("damping").read(default: 0.1) { $0.number(context, .positive("ps")) }
        let tau = map.optional("barostat_tau").read(default: 1.0) { $0.number(context, .positive("ps")) }
        let compressibility = map.optional("compressibility").read(default: 1e-6) { $0.number(context, .positive("1/bar")) }
        let kappa = map.required("kappa", context, hint: "the pinning spring in eV per (unit of Q)², about k_B T / 0.005² (4000 for Cu near 1300 K)")?
            .number(context, .positive("eV"))
        var fraction = map.optional("solid_fraction").read(default: 0.5) { $0.number(context, .positive("")) }
        if let f = fraction, f >= 1, let given = map.optional("solid_fraction") {
            context.report("solid_fraction must be between 0 and 1 (the share of the slab kept solid), found \(f)", about: given)
            fraction = nil
        }
        let meltTemperature = OptionalSetting(map.optional("melt_temperature")) { $0.number(context, .positive("K")) }
        let miller = OptionalSetting(map.optional("miller")) { decodeMiller($0, context) }
        let steps = map.optional("steps").read(default: MeltPlan.Steps()) { decodeSteps($0, context) }
        let sampleEvery = map.optional("sample_every").read(default: 10) { $0.integer(context, atLeast: 1) }
        let blocks = map.optional("blocks").read(default: 5) { $0.integer(context, atLeast: 2) }
        let name = ((deckPath as NSString).lastPathComponent as NSString).deletingPathExtension
        let directory = map.optional("directory").read(default: FileReferences.absolutePath(name + ".melt", base: context.baseDirectory)) {
            $0.text(context, what: "a folder").map { FileReferences.absolutePath($0, base: context.baseDirectory) }
        }
        guard let temperatures, let pressure, let timestep, let damping, let tau, let compressibility, let kappa, let fraction,
              !meltTemperature.isInvalid, !miller.isInvalid, let steps, let sampleEvery, let blocks, let directory else { return nil }
        guard steps.production / sampleEvery >= blocks else {
            context.report("the production run gives \(steps.production / sampleEvery) samples (steps.production / sample_every), fewer than the \(blocks) blocks of its error bars; lengthen production or sample more often",
                           about: map.optional("steps") ?? value)
            return nil
        }
        return MeltPlan(temperatures: temperatures, pressure: pressure, timestep: timestep, damping: damping, barostatTau: tau,
                        compressibility: compressibility, kappa: kappa, solidFraction: fraction, meltTemperature: meltTemperature.value,
                        miller: miller.value, steps: steps, sampleEvery: sampleEvery, blocks: blocks, directory: directory)
    }

    private static func decodeTemperatures(_ value: DeckValue, _ context: DeckContext) -> [Double]? {
        guard let items = value.list(context, of: "temperatures") else { return nil }
        let temperatures = items.map { $0.number(context, .positive("K")) }
        guard temperatures.allSatisfy({ $0 != nil }) else { return nil }
        let values = temperatures.compactMap { $0 }
        guard Set(values).count >= 2 else {
            context.report("give at least two different temperatures: T_m comes from a fit of Δμ(T)", about: value)
            return nil
        }
        return values
    }

    private static func decodeMiller(_ value: DeckValue, _ context: DeckContext) -> [[Int]]? {
        guard let vectors = value.integerTriples(context, what: "Miller indices") else { return nil }
        if vectors.joined().contains(where: { abs($0) > 100 }) {
            context.report("Miller indices above 100 are not reflections a slab can resolve; use low-index reflections such as [2, 0, 0]", about: value)
            return nil
        }
        if let k = vectors.firstIndex(where: { $0[2] != 0 || $0 == [0, 0, 0] }), let items = value.list(context, of: "Miller indices") {
            context.report("the wave vectors must lie in the interface plane (third index 0, not all zero): the slab's z length changes under the barostat, found \(vectors[k])", about: items[k])
            return nil
        }
        return vectors
    }

    private static func decodeSteps(_ value: DeckValue, _ context: DeckContext) -> MeltPlan.Steps? {
        guard let map = MapReader(value, allowed: stepKeys, context: context) else { return nil }
        let d = MeltPlan.Steps()
        let lattice = map.optional("lattice").read(default: d.lattice) { $0.integer(context, atLeast: 2) }
        let melt = map.optional("melt").read(default: d.melt) { $0.integer(context, atLeast: 1) }
        let equilibrate = map.optional("equilibrate").read(default: d.equilibrate) { $0.integer(context, atLeast: 0) }
        let production = map.optional("production").read(default: d.production) { $0.integer(context, atLeast: 2) }
        guard let lattice, let melt, let equilibrate, let production else { return nil }
        return MeltPlan.Steps(lattice: lattice, melt: melt, equilibrate: equilibrate, production: production)
    }
}
