/// Builds the potential of a run from the deck's `potential` block, bound to the configuration's species.
enum PotentialBuilder {
    static func potential(_ terms: [PotentialTermPlan], speciesTable: SpeciesTable, deckPath: String) throws -> any Potential {
        try build(terms, speciesTable: speciesTable, deckPath: deckPath).potential
    }

    /// The potential, the masses its files give (EAM files carry one per element, which LAMMPS uses),
    /// and the warnings of the file readers.
    static func build(_ terms: [PotentialTermPlan], speciesTable: SpeciesTable, deckPath: String) throws
        -> (potential: any Potential, masses: [String: Double], warnings: [String]) {
        var masses: [String: Double] = [:]
        var warnings: [String] = []
        var built: [any Potential] = []
        for plan in terms {
            built.append(try term(plan, speciesTable: speciesTable, deckPath: deckPath))
            if case .eam(let eam) = plan.unscaled {
                let tables = try tables(eam)
                for (symbol, mass) in zip(tables.elements, tables.masses) where mass > 0 { masses[symbol] = mass }
                warnings += try fileWarnings(eam)
            }
        }
        return (built.count == 1 ? built[0] : PotentialSum(built), masses, warnings)
    }

    static func tables(_ eam: EAMPlan) throws -> EAMTables {
        switch eam.format {
        case .funcfl: return try EAMTables(funcflPaths: eam.files, elements: eam.species)
        case .setfl: return try EAMTables(setflPath: eam.files[0])
        case .fs: return try EAMTables(finnisSinclairPath: eam.files[0])
        }
    }

    static func fileWarnings(_ eam: EAMPlan) throws -> [String] {
        switch eam.format {
        case .funcfl: return try eam.files.flatMap { path in try FuncflFile(path: path).warnings.map { "\(path): \($0)" } }
        case .setfl: return try SetflFile(path: eam.files[0], variant: .alloy).warnings.map { "\(eam.files[0]): \($0)" }
        case .fs: return try SetflFile(path: eam.files[0], variant: .finnisSinclair).warnings.map { "\(eam.files[0]): \($0)" }
        }
    }

    static func term(_ plan: PotentialTermPlan, speciesTable: SpeciesTable, deckPath: String) throws -> any Potential {
        switch plan {
        case .lennardJones(let lj):
            let pairs = lj.pairs.map {
                LennardJones.PairParameters($0.first, $0.second, epsilon: $0.epsilon, sigma: $0.sigma, cutoff: $0.cutoff)
            }
            do {
                return try LennardJones(pairs: pairs, cutoff: lj.cutoff, shift: lj.shift, speciesTable: speciesTable)
            } catch var error as InputError {
                error.file = deckPath
                throw error
            }
        case .plugin(let plugin):
            return try PotentialPlugins.build(plugin, speciesTable: speciesTable, deckPath: deckPath)
        case .scaled(let scaled):
            return ScaledPotential(try term(scaled.term, speciesTable: speciesTable, deckPath: deckPath),
                                   parameter: scaled.parameter, factor: scaled.value)
        case .pinning(let pinning):
            return PinningBias(variable: try variable(pinning.variable, speciesTable: speciesTable, deckPath: deckPath),
                               kappa: pinning.kappa, center: pinning.center)
        case .eam(let eam):
            let tables = try tables(eam)
            let name = "eam " + eam.files.map { $0.split(separator: "/").last.map(String.init) ?? $0 }.joined(separator: " ")
            do {
                return try EmbeddedAtom(splines: EAMSplines(tables), speciesTable: speciesTable, name: name)
            } catch var error as InputError {
                error.file = deckPath
                throw error
            }
        }
    }

    /// The collective variable of a bias, counting the deck's species (all when none are named).
    static func variable(_ plan: CollectiveVariablePlan, speciesTable: SpeciesTable, deckPath: String) throws -> any CollectiveVariable {
        var selected = [Bool](repeating: plan.species == nil, count: speciesTable.count)
        for symbol in plan.species ?? [] {
            guard let index = speciesTable.index(of: symbol) else {
                throw InputError(file: deckPath, key: "potential.pinning.cv.species",
                                 "element \(symbol) is not in the system (elements: \(speciesTable.symbols.joined(separator: ", ")))")
            }
            selected[index] = true
        }
        switch plan.kind {
        case .fourier(let vectors):
            return FourierOrderParameter(name: plan.name, vectors: vectors, selected: selected)
        case .steinhardt(let degree, let inner, let cutoff):
            return SteinhardtOrder(name: plan.name, degree: degree, weight: CosineSwitch(inner: inner, outer: cutoff), selected: selected)
        case .solidCount(let degree, let inner, let cutoff, let threshold, let nn, let mm):
            return SolidLikeCount(name: plan.name, degree: degree, weight: CosineSwitch(inner: inner, outer: cutoff),
                                  threshold: RationalSwitch(r0: threshold, n: nn, m: mm), selected: selected)
        }
    }
}
