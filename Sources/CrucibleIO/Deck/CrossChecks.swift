/// Checks that span sections and need no file contents.
enum CrossChecks {
    /// Every element of a lattice must appear in some potential term, or its atoms would not interact.
    /// Skipped when a term takes its elements from a file (setfl, fs) or the atoms come from a file.
    static func checkCoverage(system: SystemSection.Decoded, potential: PotentialSection.Decoded, _ context: DeckContext) {
        guard let lattice = system.latticeSpecies, let covered = potential.coveredSpecies else { return }
        let missing = lattice.symbols.filter { !covered.contains($0) }
        guard !missing.isEmpty else { return }
        let names = missing.map { "'\($0)'" }.joined(separator: ", ")
        context.report("no potential term covers \(names): add lj pairs or an eam file for \(missing.count == 1 ? "it" : "them")",
                       at: lattice.value.anchorPosition, path: lattice.value.path)
    }

    /// The files the run reads, which no output may overwrite.
    static func inputPaths(system: SystemPlan?, potential: [PotentialTermPlan]?) -> Set<String> {
        var paths: Set<String> = []
        if case .structure(let structure)? = system?.source { paths.insert(structure.path) }
        for term in potential ?? [] {
            if case .eam(let eam) = term.unscaled { paths.formUnion(eam.files) }
        }
        return paths
    }
}
