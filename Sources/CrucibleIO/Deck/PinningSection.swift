/// `potential.pinning`: a harmonic bias on a collective variable (interface pinning).
enum PinningSection {
    static let keys = ["cv", "kappa", "center"]
    static let variableKinds = ["fourier", "q6", "solid_count"]
    static let fourierKeys = ["name", "species", "vectors"]
    static let q6Keys = ["name", "species", "degree", "cutoff", "inner"]
    static let solidCountKeys = q6Keys + ["threshold", "nn", "mm"]

    static func decode(_ value: DeckValue, _ context: DeckContext) -> PinningPlan? {
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        let variable = map.required("cv", context, hint: "one of fourier, q6, solid_count").flatMap { decodeVariable($0, context) }
        let kappa = map.optional("kappa").read(default: 0) { $0.number(context, .nonNegative("eV")) }
        let center = map.optional("center").read(default: 0) { $0.number(context, .anyValue("")) }
        guard let variable, let kappa, let center else { return nil }
        return PinningPlan(variable: variable, kappa: kappa, center: center)
    }

    static func decodeVariable(_ value: DeckValue, _ context: DeckContext) -> CollectiveVariablePlan? {
        guard let outer = MapReader(value, allowed: variableKinds, context: context),
              let (kind, body) = outer.exactlyOne(of: variableKinds, context, missing: "give one collective variable: fourier, q6 or solid_count")
        else { return nil }
        switch kind {
        case "fourier":
            guard let map = MapReader(body, allowed: fourierKeys, context: context) else { return nil }
            let vectors = map.required("vectors", context, hint: "wave vectors as integer multiples of the cell's reciprocal vectors, e.g. [[8, 0, 0]]")
                .flatMap { decodeVectors($0, context) }
            let (name, species) = decodeCommon(map, default: kind, context)
            guard let vectors, let name, let species else { return nil }
            return CollectiveVariablePlan(kind: .fourier(vectors: vectors), name: name, species: species.value)
        default:
            let solid = kind == "solid_count"
            guard let map = MapReader(body, allowed: solid ? solidCountKeys : q6Keys, context: context) else { return nil }
            let degree = map.optional("degree").read(default: 6) { $0.integer(context, atLeast: 2) }
            if let degree, degree % 2 != 0 || degree > 16, let given = map.optional("degree") {
                context.report("degree must be even and at most 16 (bond-order parameters of odd degree vanish), found \(degree)", about: given)
                return nil
            }
            let cutoff = map.required("cutoff", context, hint: "the bond cutoff in Å, between the first and second neighbour shells")?
                .number(context, .positive("Å"))
            let inner = map.optional("inner").read(default: cutoff.map { 0.9 * $0 } ?? 0) { $0.number(context, .nonNegative("Å")) }
            if let cutoff, let inner, inner >= cutoff, let given = map.optional("inner") {
                context.report("inner (\(inner) Å) must be below cutoff (\(cutoff) Å): the bond weight falls from 1 to 0 between them", about: given)
                return nil
            }
            let (name, species) = decodeCommon(map, default: kind, context)
            guard let degree, let cutoff, let inner, let name, let species else { return nil }
            if !solid { return CollectiveVariablePlan(kind: .steinhardt(degree: degree, inner: inner, cutoff: cutoff), name: name, species: species.value) }
            let threshold = map.required("threshold", context, hint: "the locally averaged q_l above which an atom counts as solid, e.g. 0.35")?
                .number(context, .positive(""))
            let nn = map.optional("nn").read(default: 12) { $0.integer(context, atLeast: 1) }
            let mm = map.optional("mm").read(default: 24) { $0.integer(context, atLeast: 2) }
            if let nn, let mm, mm <= nn || mm > 64, let given = map.optional("mm") ?? map.optional("nn") {
                context.report("the switch's exponents need nn < mm ≤ 64, found nn = \(nn), mm = \(mm)", about: given)
                return nil
            }
            guard let threshold, let nn, let mm else { return nil }
            return CollectiveVariablePlan(kind: .solidCount(degree: degree, inner: inner, cutoff: cutoff, threshold: threshold, nn: nn, mm: mm),
                                          name: name, species: species.value)
        }
    }

    private static func decodeCommon(_ map: MapReader, default kind: String, _ context: DeckContext) -> (String?, OptionalSetting<[String]>?) {
        let name = map.optional("name").read(default: kind) { value -> String? in
            guard let text = value.text(context, what: "a name") else { return nil }
            // The name becomes a CSV column (cv_<name>) and an H5MD group: letters, digits and _ only.
            guard DeckValue.isName(text) else {
                context.report("a collective variable's name may hold letters, digits and _ only (it names a thermo column and an H5MD observable), found \(value.found)", about: value)
                return nil
            }
            return text
        }
        let species = OptionalSetting(map.optional("species")) { value -> [String]? in
            guard let items = value.list(context, of: "element symbols") else { return nil }
            let symbols = items.map { $0.elementSymbol(context) }
            return symbols.contains(where: { $0 == nil }) ? nil : symbols.compactMap { $0 }
        }
        return (name, species.isInvalid ? nil : species)
    }

    private static func decodeVectors(_ value: DeckValue, _ context: DeckContext) -> [[Int]]? {
        guard let vectors = value.integerTriples(context, what: "wave vectors") else { return nil }
        if vectors.joined().contains(where: { abs($0) > 100_000 }) {
            context.report("wave vector components above 100000 resolve nothing in any cell; use the crystal's reciprocal-lattice vectors", about: value)
            return nil
        }
        if let k = vectors.firstIndex(of: [0, 0, 0]), let items = value.list(context, of: "wave vectors") {
            context.report("the wave vector [0, 0, 0] gives Q = 1 for any structure; use a reciprocal-lattice vector of the crystal", about: items[k])
            return nil
        }
        return vectors
    }
}
