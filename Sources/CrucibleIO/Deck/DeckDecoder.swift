import Yams

/// Reads a composed deck into a RunPlan, collecting every problem on the way.
enum DeckDecoder {
    static let topLevelKeys = ["title", "seed", "threads", "system", "potential", "neighbor",
                               "md", "minimize", "single_point", "melt", "replicas", "monte_carlo", "output"]
    static let defaultSeed: UInt64 = 1

    /// Where a run's provenance comes from.
    struct Source {
        var text: String
        var deckPath: String
    }

    static func decode(_ root: Node?, source: Source, _ context: DeckContext) -> RunPlan? {
        // A deck of only comments or `---` parses to nothing or to an empty value.
        guard let root, !DeckValue(node: root, path: .root, keyPosition: nil).isNull else {
            context.report("the deck is empty; it needs 'system', 'potential' and one of 'md', 'minimize' or 'single_point'",
                           at: .start, path: nil)
            return nil
        }
        let rootValue = DeckValue(node: root, path: .root, keyPosition: nil)
        guard case .mapping = root else {
            context.report("the deck must be a map of sections (system, potential, md, …), found \(rootValue.found)",
                           about: rootValue)
            return nil
        }
        guard let map = MapReader(rootValue, allowed: topLevelKeys, context: context) else { return nil }

        let title = OptionalSetting(map.optional("title")) { $0.text(context, what: "a title") }
        let seed = map.optional("seed").read(default: defaultSeed) { $0.integer(context, atLeast: 0).map(UInt64.init) }
        let threads = map.optional("threads").read(default: 1) { $0.integer(context, atLeast: 1) }
        let masterSeed = seed ?? defaultSeed
        let system = map.required("system", context, hint: "say where the atoms come from (structure or lattice)")
            .flatMap { SystemSection.decode($0, masterSeed: masterSeed, context) }
        let potential = map.required("potential", context, hint: "give lj or eam")
            .flatMap { PotentialSection.decode($0, context) }
        let neighbor = NeighborSection.decode(map.optional("neighbor"), context)
        let run = RunKindSection.decode(map, context, deckPath: source.deckPath)
        let replicas = ReplicasSection.decode(map.optional("replicas"), run: run,
                                              parameterNames: potential?.terms.flatMap(\.parameterNames), context)
        let monteCarlo = MonteCarloSection.decode(map.optional("monte_carlo"), run: run,
                                                  isotopes: system?.plan.isotopes.map(\.label) ?? [], context)
        let inputs = CrossChecks.inputPaths(system: system?.plan, potential: potential?.terms)
        let output = OutputSection.decode(map.optional("output"), inputPaths: inputs, context)
        if case .melt? = run, let given = map.optional("output") {
            context.report("the melting workflow writes its own outputs (per stage, see docs/melt.md); remove 'output'",
                           at: given.anchorPosition, path: given.path)
        }
        if let system, let potential {
            CrossChecks.checkCoverage(system: system, potential: potential, context)
        }

        guard context.problems.isEmpty, !title.isInvalid, let seed, let threads, let system, let potential,
              let neighbor, let run, let replicas, let monteCarlo, let output else { return nil }
        return RunPlan(title: title.value, seed: seed, threads: threads, system: system.plan, potential: potential.terms,
                       neighbor: neighbor, run: run, replicas: replicas, monteCarlo: monteCarlo, output: output, deckPath: source.deckPath, deckText: source.text)
    }
}
