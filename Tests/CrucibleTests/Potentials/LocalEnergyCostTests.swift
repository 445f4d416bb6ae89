import Testing
@testable import CrucibleCore

/// A local energy query touches only the environment of the changed atoms: the number of extended
/// atoms a swap trial examines is the same at 500 and at 32,000 atoms, no list rebuild or refresh
/// happens, and a global term (here a stand-in bias) offers no local energies at all.
@Suite struct LocalEnergyCostTests {
    func visitsPerTrial(repeats: Int) throws -> (visits: Int, rebuilt: Bool, refreshed: Bool) {
        let c0 = rattledCrystal(.fcc, a: 5.6, repeats: [repeats, repeats, repeats], symbols: ["Ar", "Kr"], rattle: 0.05, seed: 2)
        let lj = try LennardJones(pairs: [.init("Ar", "Ar", epsilon: 0.0104, sigma: 3.4), .init("Kr", "Kr", epsilon: 0.014, sigma: 3.65)],
                                  cutoff: 8.5, shift: true, speciesTable: c0.speciesTable)
        var c = c0
        var evaluator = Evaluator(potential: lj, skin: 0.5)
        evaluator.evaluate(&c, request: .energy)
        let builds = evaluator.neighbors.buildCount, listSeconds = evaluator.neighborSeconds
        let trials = 20
        for t in 0..<trials {
            // Atoms 2t and 2t + 1 are Ar and Kr (the species pattern alternates).
            let change = Evaluator.SpeciesChange(swapping: 2 * t, 2 * t + 1, in: c)
            #expect(c.species[2 * t] != c.species[2 * t + 1])
            _ = evaluator.applyLocally(change, to: &c)
        }
        return (evaluator.localVisits / trials, evaluator.neighbors.buildCount != builds, evaluator.neighborSeconds != listSeconds)
    }

    @Test func swapTrialCostDoesNotGrowWithTheSystem() throws {
        let small = try visitsPerTrial(repeats: 5)    // 500 atoms
        let large = try visitsPerTrial(repeats: 20)   // 32,000 atoms
        #expect(small.visits > 50, "\(small.visits) visits per trial")
        #expect(Double(large.visits) < 1.2 * Double(small.visits), "500 atoms: \(small.visits), 32,000 atoms: \(large.visits) visits per trial")
        #expect(!small.rebuilt && !large.rebuilt && !small.refreshed && !large.refreshed)
    }

    /// A term with a global energy (as a bias on a collective variable will be) is not `LocalEnergy`,
    /// and a sum containing it offers no local energies.
    @Test func globalTermsOfferNoLocalEnergies() throws {
        struct GlobalTerm: Potential {
            var name: String { "global" }
            var cutoff: Double { 1 }
            mutating func evaluate(_ configuration: Configuration, neighbors: NeighborList, request: PotentialRequest,
                                   workers: Workers, into result: inout PotentialResult) {
                result.energy += 1
                result.addExtra("global.energy", 1)
            }
        }
        let c = rattledCrystal(.fcc, a: 5.6, repeats: [2, 2, 2], symbols: ["Ar", "Kr"], rattle: 0.05, seed: 2)
        let lj = try LennardJones(pairs: [.init("Ar", "Ar", epsilon: 0.0104, sigma: 3.4), .init("Kr", "Kr", epsilon: 0.014, sigma: 3.65)],
                                  cutoff: 8.5, shift: true, speciesTable: c.speciesTable)
        #expect(lj.local != nil && PotentialSum([lj, lj]).local != nil)
        var evaluator = Evaluator(potential: PotentialSum([lj, GlobalTerm()]), skin: 0.5)
        #expect(evaluator.local == nil)
        var copy = c
        let result = evaluator.evaluate(&copy)
        #expect(result.extra("global.energy") == 1)
        #expect(evaluator.applyLocally(.init(swapping: 0, 1, in: copy), to: &copy) == nil)
        #expect(copy.species == c.species)
    }
}
