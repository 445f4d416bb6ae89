/// `potential`: one term (a map with one key) or a list of terms whose energies add.
enum PotentialSection {
    static let termKinds = ["lj", "eam", "pinning", "scaled"] + PluginSection.schemas.keys.sorted()

    struct Decoded {
        var terms: [PotentialTermPlan]
        /// Elements the terms cover; nil when a term takes its elements from a file (setfl, fs).
        var coveredSpecies: Set<String>?
    }

    static func decode(_ value: DeckValue, _ context: DeckContext) -> Decoded? {
        let termValues: [DeckValue]
        switch value.node {
        case .mapping:
            termValues = [value]
        case .sequence:
            guard let items = value.list(context, of: "potential terms") else { return nil }
            guard !items.isEmpty else {
                context.report("the potential list is empty; give at least one term (lj or eam)", about: value)
                return nil
            }
            termValues = items
        default:
            context.report("expected a potential term (a map with one key: lj or eam) or a list of terms, found \(value.found)",
                           about: value)
            return nil
        }
        let terms = termValues.map { decodeTerm($0, context) }
        guard terms.allSatisfy({ $0 != nil }) else { return nil }
        let decoded = terms.compactMap { $0 }
        let names = decoded.compactMap { term -> String? in if case .pinning(let p) = term { return p.variable.name } else { return nil } }
        if let repeated = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            context.report("two pinning terms name their collective variable '\(repeated)'; give each a distinct 'name' (it labels the thermo column and the observable)", about: value)
            return nil
        }
        let parameters = decoded.flatMap(\.parameterNames)
        if let repeated = parameters.first(where: { name in parameters.filter { $0 == name }.count > 1 }) {
            context.report("two scaled terms use the parameter '\(repeated)'; give each its own name (a state sets each parameter of one term)", about: value)
            return nil
        }
        if decoded.allSatisfy({ if case .pinning = $0.unscaled { return true } else { return false } }) {
            context.report("a pinning bias acts on top of an interatomic potential; add an lj or eam term to the list", about: value)
            return nil
        }
        return Decoded(terms: decoded, coveredSpecies: coveredSpecies(decoded))
    }

    static func decodeTerm(_ value: DeckValue, _ context: DeckContext) -> PotentialTermPlan? {
        guard let map = MapReader(value, allowed: termKinds, context: context) else { return nil }
        if map.presentKeys.count > 1 {
            context.report("a potential term has exactly one key, found \(map.presentKeys.joined(separator: " and ")); "
                           + "to add terms, list them: potential: [{lj: …}, {eam: …}]", at: value.anchorPosition, path: value.path)
            return nil
        }
        guard let kind = map.presentKeys.first, let body = map.optional(kind) else {
            if map.unknownKeys.isEmpty {
                context.report("empty potential term; give lj or eam", at: value.anchorPosition, path: value.path)
            }
            return nil
        }
        switch kind {
        case "lj": return LennardJonesSection.decode(body, context).map(PotentialTermPlan.lennardJones)
        case "pinning": return PinningSection.decode(body, context).map(PotentialTermPlan.pinning)
        case "scaled": return ScaledSection.decode(body, context).map(PotentialTermPlan.scaled)
        case _ where PluginSection.schemas[kind] != nil: return PluginSection.decode(kind, body, context).map(PotentialTermPlan.plugin)
        default: return EAMSection.decode(body, context).map(PotentialTermPlan.eam)
        }
    }

    private static func coveredSpecies(_ terms: [PotentialTermPlan]) -> Set<String>? {
        var species: Set<String> = []
        for term in terms {
            switch term.unscaled {
            case .lennardJones(let lj):
                for pair in lj.pairs { species.formUnion([pair.first, pair.second]) }
            case .eam(let eam):
                guard eam.format == .funcfl else { return nil }
                species.formUnion(eam.species)
            case .pinning:
                // A bias acts on the atoms of other terms; it covers no element by itself.
                continue
            case .plugin:
                // Its elements are in its file.
                return nil
            case .scaled:
                continue  // (unscaled above)
            }
        }
        return species
    }
}
