/// `potential.lj`: Lennard-Jones pairs with a global cutoff and optional per-pair cutoffs.
enum LennardJonesSection {
    static let keys = ["cutoff", "shift", "pairs"]
    static let pairKeys = ["species", "epsilon", "sigma", "cutoff"]

    static func decode(_ value: DeckValue, _ context: DeckContext) -> LennardJonesPlan? {
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        let cutoffValue = map.optional("cutoff")
        let globalCutoff = cutoffValue?.number(context, .positive("Å"))
        let shift = map.optional("shift").read(default: false) { $0.flag(context) }
        guard let pairsValue = map.required("pairs", context, hint: "a list like [{species: [Ar, Ar], epsilon: 0.0104, sigma: 3.40}]"),
              let items = pairsValue.list(context, of: "pairs") else { return nil }
        guard !items.isEmpty else {
            context.report("'pairs' is empty; give at least one pair", about: pairsValue)
            return nil
        }
        var pairs: [LennardJonesPairPlan] = []
        var firstLine: [[String]: Int] = [:]
        var failed = false
        for item in items {
            // A global cutoff that failed to read was reported already; don't also call each pair cutoff-less.
            guard let pair = decodePair(item, globalCutoff: globalCutoff, cutoffGiven: cutoffValue != nil, context) else {
                failed = true
                continue
            }
            let key = [pair.first, pair.second].sorted()
            if let line = firstLine[key] {
                context.report("pair \(pair.first)–\(pair.second) is already given at line \(line)", at: item.position, path: item.path)
                failed = true
                continue
            }
            firstLine[key] = item.position.line
            pairs.append(pair)
        }
        guard !failed, let shift else { return nil }
        let cutoff = globalCutoff ?? pairs.map(\.cutoff).max() ?? 0
        return LennardJonesPlan(cutoff: cutoff, shift: shift, pairs: pairs)
    }

    private static func decodePair(_ value: DeckValue, globalCutoff: Double?, cutoffGiven: Bool,
                                   _ context: DeckContext) -> LennardJonesPairPlan? {
        guard let map = MapReader(value, allowed: pairKeys, context: context) else { return nil }
        let species = map.required("species", context, hint: "two elements such as [Ar, Ar]").flatMap { decodeSpecies($0, context) }
        let epsilon = map.required("epsilon", context, hint: "the well depth in eV")?.number(context, .nonNegative("eV"))
        let sigma = map.required("sigma", context, hint: "the zero-crossing distance in Å")?.number(context, .positive("Å"))
        var cutoff: Double?
        if let ownCutoff = map.optional("cutoff") {
            cutoff = ownCutoff.number(context, .positive("Å"))
        } else if let globalCutoff {
            cutoff = globalCutoff
        } else if !cutoffGiven {
            context.report("no cutoff for this pair: give 'cutoff' here or a global cutoff in 'potential.lj'",
                           at: value.position, path: value.path.appending("cutoff"))
        }
        guard let species, let epsilon, let sigma, let cutoff else { return nil }
        return LennardJonesPairPlan(first: species.0, second: species.1, epsilon: epsilon, sigma: sigma, cutoff: cutoff)
    }

    private static func decodeSpecies(_ value: DeckValue, _ context: DeckContext) -> (String, String)? {
        guard let items = value.list(context, of: "two element symbols") else { return nil }
        guard items.count == 2 else {
            context.report("expected two element symbols such as [Ar, Ar], found \(items.count)", about: value)
            return nil
        }
        let symbols = items.compactMap { $0.elementSymbol(context) }
        guard symbols.count == 2 else { return nil }
        return (symbols[0], symbols[1])
    }
}
