/// `system.isotopes`: species labels for isotopes, `{LABEL: {element, mass, fraction}}`; a fraction
/// of the element's atoms (chosen at random from the seed) becomes the isotope.
enum IsotopesSection {
    static let keys = ["element", "mass", "fraction"]

    static func decode(_ value: DeckValue, masterSeed: UInt64, _ context: DeckContext) -> [IsotopePlan]? {
        guard case .mapping(let entries) = value.node, !entries.isEmpty else {
            context.report("expected a map from isotope labels to {element, mass, fraction}, e.g. {D: {element: H, mass: 2.014102}}, found \(value.found)",
                           about: value)
            return nil
        }
        var plans: [IsotopePlan] = []
        var ok = true
        for (keyNode, body) in entries {
            let keyValue = DeckValue(node: keyNode, path: value.path, keyPosition: nil)
            guard let label = keyValue.text(context, what: "an isotope label") else { ok = false; continue }
            let item = DeckValue(node: body, path: value.path.appending(label), keyPosition: SourcePosition(keyNode.mark))
            // A label is a species name in outputs and Monte Carlo moves: it must not pass for an element.
            guard !ElementSymbols.all.contains(label), DeckValue.isName(label),
                  label.unicodeScalars.first.map({ $0.properties.isAlphabetic }) == true else {
                context.report("an isotope label is a new species name: letters, digits and _, starting with a letter, and not an element symbol (e.g. D for deuterium), found '\(DeckValue.printable(label))'",
                               about: item)
                ok = false
                continue
            }
            guard let map = MapReader(item, allowed: keys, context: context) else { ok = false; continue }
            let element = map.required("element", context, hint: "the element it is an isotope of, e.g. H")?.elementSymbol(context)
            let mass = map.required("mass", context, hint: "its mass in amu, e.g. 2.014102 for deuterium")?.number(context, .positive("amu"))
            let fractionValue = map.optional("fraction")
            let fraction = fractionValue.read(default: 1) { $0.number(context, .positive("")) }
            if let fraction, fraction > 1, let fractionValue {
                context.report("fraction must be at most 1 (the share of the element's atoms that become \(label)), found \(NumberText.format(fraction))",
                               about: fractionValue)
                ok = false
                continue
            }
            guard let element, let mass, let fraction else { ok = false; continue }
            plans.append(IsotopePlan(label: label, element: element, mass: mass, fraction: fraction, seed: masterSeed))
        }
        return ok ? plans : nil
    }
}
