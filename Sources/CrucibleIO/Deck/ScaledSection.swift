/// `potential.scaled`: a term multiplied by a Hamiltonian parameter λ (`{parameter, value, term}`).
enum ScaledSection {
    static let keys = ["parameter", "value", "term"]

    static func decode(_ value: DeckValue, _ context: DeckContext) -> ScaledTermPlan? {
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        let parameter = map.required("parameter", context, hint: "the name of λ, e.g. lambda (replicas.parameters sets it per state)")
            .flatMap { item -> String? in
                guard let text = item.text(context, what: "a parameter name") else { return nil }
                // It names a thermo column (cv_du_d<parameter>) and a key of replicas.parameters.
                guard DeckValue.isName(text) else {
                    context.report("a parameter's name may hold letters, digits and _ only (it names a thermo column), found \(item.found)", about: item)
                    return nil
                }
                return text
            }
        let factor = map.optional("value").read(default: 1) { $0.number(context, .anyValue("")) }
        let term = map.required("term", context, hint: "the term to scale, e.g. {lj: {…}} or {eam: {…}}").flatMap { item -> PotentialTermPlan? in
            guard let term = PotentialSection.decodeTerm(item, context) else { return nil }
            switch term {
            case .pinning, .scaled:
                context.report("'scaled' scales an interatomic term (lj, eam or a plugin); a pinning bias has its own kappa, and a scaled term is not scaled again",
                               about: item)
                return nil
            default:
                return term
            }
        }
        guard let parameter, let factor, let term else { return nil }
        return ScaledTermPlan(parameter: parameter, value: factor, term: term)
    }
}
