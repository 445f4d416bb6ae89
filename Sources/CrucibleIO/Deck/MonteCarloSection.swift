/// `monte_carlo`: species moves between MD steps (`swap`, `semi_grand`).
enum MonteCarloSection {
    static let keys = ["swap", "semi_grand"]
    static let swapKeys = ["every", "attempts", "pairs", "check_every"]
    static let semiGrandKeys = ["every", "attempts", "chemical_potentials", "variance", "check_every"]
    static let varianceKeys = ["kappa", "concentrations"]

    /// `isotopes`: the system's isotope labels, which name species here as element symbols do.
    static func decode(_ value: DeckValue?, run: RunKind?, isotopes: [String] = [], _ context: DeckContext) -> MonteCarloPlan?? {
        guard let value else { return .some(nil) }
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        let names = SpeciesNames(isotopes: isotopes)
        let swap = OptionalSetting(map.optional("swap")) { decodeSwap($0, names, context) }
        let semiGrand = OptionalSetting(map.optional("semi_grand")) { decodeSemiGrand($0, names, context) }
        var ok = !swap.isInvalid && !semiGrand.isInvalid
        if swap.value == nil && semiGrand.value == nil && ok {
            context.report("'monte_carlo' needs 'swap' or 'semi_grand'", about: value)
            ok = false
        }
        switch run {
        case .md(let md)? where md.thermostat == nil:
            context.report("'monte_carlo' needs a thermostat in 'md' (moves are accepted at its temperature)", about: value)
            ok = false
        case .md?, nil: break
        default:
            context.report("'monte_carlo' works with 'md' runs only (moves are made between MD steps)", about: value)
            ok = false
        }
        guard ok else { return nil }
        return .some(MonteCarloPlan(swap: swap.value, semiGrand: semiGrand.value))
    }

    /// The species a move may name: element symbols and the system's isotope labels.
    struct SpeciesNames {
        var isotopes: [String]
        var all: [String] { ElementSymbols.ordered + isotopes }
        func unknownMessage(_ name: String) -> String {
            isotopes.isEmpty ? ElementSymbols.unknownMessage(name)
                : ElementSymbols.unknownMessage(name) + " (isotope labels: \(isotopes.joined(separator: ", ")))"
        }
    }

    static func decodeSwap(_ value: DeckValue, _ names: SpeciesNames, _ context: DeckContext) -> MonteCarloPlan.SwapPlan? {
        guard let map = MapReader(value, allowed: swapKeys, context: context) else { return nil }
        let every = map.optional("every").read(default: 1) { $0.integer(context, atLeast: 1) }
        let attempts = map.optional("attempts").read(default: 1) { $0.integer(context, atLeast: 1) }
        let check = map.optional("check_every").read(default: 0) { $0.integer(context, atLeast: 0) }
        let pairs = OptionalSetting(map.optional("pairs")) { pairsValue -> [[String]]? in
            guard let items = pairsValue.list(context, of: "element pairs such as [Fe, Ni]") else { return nil }
            if items.isEmpty { context.report("must list at least one pair", about: pairsValue); return nil }
            let pairs = items.map { item -> [String]? in
                guard let symbols = item.list(context, of: "two element symbols"), symbols.count == 2 else {
                    context.report("each pair must be two element symbols such as [Fe, Ni]", about: item)
                    return nil
                }
                let chosen = symbols.map { element($0, names, context) }
                guard let a = chosen[0], let b = chosen[1] else { return nil }
                if a == b { context.report("a pair needs two different elements, found [\(a), \(b)]", about: item); return nil }
                return [a, b]
            }
            return pairs.contains { $0 == nil } ? nil : pairs.map { $0! }
        }
        guard let every, let attempts, let check, !pairs.isInvalid else { return nil }
        return MonteCarloPlan.SwapPlan(every: every, attempts: attempts, pairs: pairs.value, checkEvery: check)
    }

    static func decodeSemiGrand(_ value: DeckValue, _ names: SpeciesNames, _ context: DeckContext) -> MonteCarloPlan.SemiGrandPlan? {
        guard let map = MapReader(value, allowed: semiGrandKeys, context: context) else { return nil }
        let every = map.optional("every").read(default: 1) { $0.integer(context, atLeast: 1) }
        let attempts = map.optional("attempts").read(default: 1) { $0.integer(context, atLeast: 1) }
        let check = map.optional("check_every").read(default: 0) { $0.integer(context, atLeast: 0) }
        let mus = map.required("chemical_potentials", context, hint: "a map of element to chemical potential in eV, e.g. {Cu: 0, Ni: -0.3}")
            .flatMap { elementValues($0, names, context, .anyValue("eV")) }
        if let mus, mus.count < 2, let entry = map.optional("chemical_potentials") {
            context.report("'chemical_potentials' needs at least two elements (an atom changes between them)", about: entry)
        }
        var kappa: Double?
        var targets: [MonteCarloPlan.ElementValue] = []
        var varianceOK = true
        if let variance = map.optional("variance") {
            varianceOK = false
            if let vmap = MapReader(variance, allowed: varianceKeys, context: context) {
                kappa = vmap.required("kappa", context, hint: "the constraint strength in eV")?.number(context, .nonNegative("eV"))
                let concentrations = vmap.required("concentrations", context, hint: "target fractions such as {Ni: 0.5}")
                    .flatMap { elementValues($0, names, context, .nonNegative("")) }
                if let concentrations, let mus {
                    targets = concentrations
                    varianceOK = kappa != nil
                    for target in concentrations where target.value > 1 || !mus.contains(where: { $0.symbol == target.symbol }) {
                        context.report("target concentration of \(target.symbol) must be ≤ 1 and its element must be in 'chemical_potentials'",
                                       about: vmap.optional("concentrations")!)
                        varianceOK = false
                    }
                }
            }
        }
        guard let every, let attempts, let check, let mus, mus.count >= 2, varianceOK else { return nil }
        return MonteCarloPlan.SemiGrandPlan(every: every, attempts: attempts, chemicalPotentials: mus, kappa: kappa,
                                            concentrations: targets, checkEvery: check)
    }

    /// A map of element symbol (or isotope label) → number, in deck order.
    static func elementValues(_ value: DeckValue, _ names: SpeciesNames, _ context: DeckContext, _ range: ValueRange) -> [MonteCarloPlan.ElementValue]? {
        guard let map = MapReader(value, allowed: names.all, context: context, describeUnknown: names.unknownMessage) else { return nil }
        guard map.unknownKeys.isEmpty else { return nil }
        var values: [MonteCarloPlan.ElementValue] = []
        for symbol in map.presentKeys {
            guard let number = map.optional(symbol)?.number(context, range) else { return nil }
            values.append(.init(symbol, number))
        }
        if values.isEmpty { context.report("names no elements", about: value); return nil }
        return values
    }

    static func element(_ value: DeckValue, _ names: SpeciesNames, _ context: DeckContext) -> String? {
        guard let symbol = value.text(context, what: "an element symbol") else { return nil }
        guard ElementSymbols.all.contains(symbol) || names.isotopes.contains(symbol) else {
            context.report(names.unknownMessage(symbol), about: value)
            return nil
        }
        return symbol
    }
}
