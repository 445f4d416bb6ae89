/// Builds the potential of a run from the deck's `potential` block, bound to the configuration's species.
enum PotentialBuilder {
    static func potential(_ terms: [PotentialTermPlan], speciesTable: SpeciesTable, deckPath: String) throws -> any Potential {
        let built = try terms.map { try term($0, speciesTable: speciesTable, deckPath: deckPath) }
        return built.count == 1 ? built[0] : PotentialSum(built)
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
        case .eam(let eam):
            let tables: EAMTables
            switch eam.format {
            case .funcfl: tables = try EAMTables(funcflPaths: eam.files, elements: eam.species)
            case .setfl: tables = try EAMTables(setflPath: eam.files[0])
            case .fs: tables = try EAMTables(finnisSinclairPath: eam.files[0])
            }
            let name = "eam " + eam.files.map { $0.split(separator: "/").last.map(String.init) ?? $0 }.joined(separator: " ")
            do {
                return try EmbeddedAtom(splines: EAMSplines(tables), speciesTable: speciesTable, name: name)
            } catch var error as InputError {
                error.file = deckPath
                throw error
            }
        }
    }
}
