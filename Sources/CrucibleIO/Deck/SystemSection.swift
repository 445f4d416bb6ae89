/// `system`: exactly one atom source, plus optional masses, velocities and isotopes.
enum SystemSection {
    static let keys = ["structure", "lattice", "masses", "velocities", "isotopes"]

    /// The plan, and where the lattice names its elements (nil for structure files,
    /// whose elements are unknown until the file is read) for cross-section checks.
    struct Decoded {
        var plan: SystemPlan
        var latticeSpecies: (symbols: [String], value: DeckValue)?
    }

    static func decode(_ value: DeckValue, masterSeed: UInt64, _ context: DeckContext) -> Decoded? {
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        var source: SystemPlan.Source?
        var latticeSpecies: (symbols: [String], value: DeckValue)?
        if let chosen = map.exactlyOne(of: ["structure", "lattice"], context,
                                       missing: "missing 'structure' or 'lattice' in 'system': say where the atoms come from") {
            if chosen.key == "structure" {
                source = StructureSection.decode(chosen.value, context).map(SystemPlan.Source.structure)
            } else if let lattice = LatticeSection.decode(chosen.value, masterSeed: masterSeed, context) {
                source = .lattice(lattice.plan)
                latticeSpecies = lattice.species
            }
        }
        let masses = map.optional("masses").flatMap { MassesSection.decode($0, context) } ?? [:]
        if let massesValue = map.optional("masses"), let latticeSpecies {
            checkMasses(masses, against: latticeSpecies.symbols, in: massesValue, context)
        }
        let velocities = map.optional("velocities").flatMap { VelocitiesSection.decode($0, masterSeed: masterSeed, context) }
        let isotopes = OptionalSetting(map.optional("isotopes")) { IsotopesSection.decode($0, masterSeed: masterSeed, context) }
        if let isotopes = isotopes.value, let latticeSpecies, let value = map.optional("isotopes") {
            for isotope in isotopes where !latticeSpecies.symbols.contains(isotope.element) {
                context.report("isotope \(isotope.label) of \(isotope.element), which the lattice does not contain (it has \(latticeSpecies.symbols.joined(separator: ", ")))",
                               at: value.anchorPosition, path: value.path.appending(isotope.label))
            }
        }
        guard let source, !isotopes.isInvalid else { return nil }
        return Decoded(plan: SystemPlan(source: source, masses: masses, velocities: velocities, isotopes: isotopes.value ?? []),
                       latticeSpecies: latticeSpecies)
    }

    /// A mass for an element the lattice does not hold is almost always a typo.
    private static func checkMasses(_ masses: [String: Double], against species: [String], in value: DeckValue,
                                    _ context: DeckContext) {
        for symbol in masses.keys.sorted() where !species.contains(symbol) {
            context.report("mass given for '\(symbol)', which the lattice does not contain (it has \(species.joined(separator: ", ")))",
                           at: value.anchorPosition, path: value.path.appending(symbol))
        }
    }
}
