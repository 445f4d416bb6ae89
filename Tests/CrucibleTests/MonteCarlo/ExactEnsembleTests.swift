import Foundation
import Testing
@testable import CrucibleCore

/// Detailed balance of the species moves, checked against exact enumeration: on an 8-site periodic
/// fcc cell of a two-species Lennard-Jones alloy (positions fixed), every species assignment's energy
/// is computed by a full evaluation, and the Boltzmann (canonical swap), semi-grand and
/// variance-constrained semi-grand distributions follow exactly. The Monte Carlo histograms must
/// pass a χ² test against them (p = 0.001), and must differ from the uniform distribution (so the
/// test sees the energies).
@Suite struct ExactEnsembleTests {
    /// 8 fcc sites (2×1×1 cells), Ar/Kr with an Ar–Kr attraction stronger than either pure pair
    /// (ordering tendency); first-shell cutoff. Cell widths 10.6 × 5.3 × 5.3 Å < twice the list cutoff.
    func system() throws -> (Configuration, LennardJones) {
        var table = SpeciesTable(); _ = table.add("Ar"); _ = table.add("Kr")
        let (cell, positions) = Lattice(kind: .fcc, a: 5.3, repeats: [2, 1, 1]).build()
        let c = Configuration(cell: cell, positions: positions, species: [0, 0, 0, 0, 1, 1, 1, 1], speciesTable: table)
        let lj = try LennardJones(pairs: [.init("Ar", "Ar", epsilon: 0.0104, sigma: 3.40), .init("Kr", "Kr", epsilon: 0.014, sigma: 3.65),
                                          .init("Ar", "Kr", epsilon: 0.022, sigma: 3.52)],
                                  cutoff: 4.5, shift: true, speciesTable: table)
        return (c, lj)
    }

    /// Energy of every assignment (bit k of the code set: site k is Kr).
    func energies(_ c: Configuration, _ lj: LennardJones) -> [Double] {
        (0..<256).map { code in
            var copy = c
            for k in 0..<8 { copy.species[k] = Int32((code >> k) & 1) }
            var evaluator = Evaluator(potential: lj, skin: 0.5)
            return evaluator.evaluate(&copy, request: .energy).energy
        }
    }

    func code(_ c: Configuration) -> Int { (0..<8).reduce(0) { $0 | Int(c.species[$1]) << $1 } }

    /// Runs `stages` calls of `move` with `attempts` trials each and returns the histogram of
    /// `bin(configuration)` after each call, and the acceptance.
    func sample(_ move: any SpeciesMove, _ c: Configuration, _ lj: LennardJones, kT: Double, stages: Int, attempts: Int = 12,
                bins: Int, bin: (Configuration) -> Int) throws -> ([Int], Double) {
        var replica = Replica(index: 0, thermodynamics: ThermodynamicState(temperature: kT / Units.boltzmann),
                              beads: [MDState(configuration: c, random: RandomStream(seed: 1))],
                              evaluators: [Evaluator(potential: lj, skin: 0.5)],
                              monteCarlo: MonteCarloState(random: RandomStream(seed: 2024, key: StreamKey(.alloy))))
        MDIntegrator(timestep: 0.001).prepare(&replica, request: .all)
        var histogram = [Int](repeating: 0, count: bins)
        for _ in 0..<stages {
            try MonteCarloStage.run(move, attempts: attempts, on: &replica, checkEvery: 97, request: [.energy, .forces])
            histogram[bin(replica.beads[0].configuration)] += 1
        }
        let statistics = replica.monteCarlo.statistics[move.name]!
        #expect(statistics.checked > 0)
        // The list stayed valid: the tracked result equals a fresh evaluation.
        var fresh = Evaluator(potential: lj, skin: 0.5)
        var copy = replica.beads[0].configuration
        #expect(abs(fresh.evaluate(&copy, request: .energy).energy - replica.beads[0].evaluation.energy) < 1e-10)
        return (histogram, statistics.acceptance)
    }

    /// χ² of observed counts against expected probabilities, pooling bins expected below 5 counts;
    /// returns (χ², the 0.999 quantile for its degrees of freedom, χ² against uniform over the same bins).
    func chiSquared(_ observed: [Int], _ probabilities: [Double]) -> (chi2: Double, limit: Double, uniformChi2: Double) {
        let n = Double(observed.reduce(0, +))
        var chi2 = 0.0, uniform = 0.0, pooledO = 0.0, pooledE = 0.0, bins = 0
        let support = probabilities.filter { $0 > 0 }.count
        for (o, p) in zip(observed, probabilities) where p > 0 {
            let e = n * p
            if e < 5 { pooledO += Double(o); pooledE += e; continue }
            chi2 += (Double(o) - e) * (Double(o) - e) / e
            let u = n / Double(support)
            uniform += (Double(o) - u) * (Double(o) - u) / u
            bins += 1
        }
        if pooledE > 0 { chi2 += (pooledO - pooledE) * (pooledO - pooledE) / pooledE; bins += 1 }
        let k = Double(bins - 1), z = 3.09
        let limit = k * pow(1 - 2 / (9 * k) + z * (2 / (9 * k)).squareRoot(), 3)   // Wilson–Hilferty
        return (chi2, limit, uniform)
    }

    func boltzmann(_ weights: [Double]) -> [Double] {
        let low = weights.min()!
        let w = weights.map { $0.isFinite ? exp(-($0 - low)) : 0 }
        let z = w.reduce(0, +)
        return w.map { $0 / z }
    }

    @Test func swapsSampleTheCanonicalDistribution() throws {
        let (c, lj) = try system()
        let e = energies(c, lj)
        let fourKr = (0..<256).filter { $0.nonzeroBitCount == 4 }
        let kT = (fourKr.map { e[$0] }.max()! - fourKr.map { e[$0] }.min()!) / 3
        let exact = boltzmann((0..<256).map { $0.nonzeroBitCount == 4 ? e[$0] / kT : .infinity })
        let (histogram, acceptance) = try sample(SwapMove(allPairsOf: c.speciesTable), c, lj, kT: kT, stages: 4000,
                                                 bins: 256, bin: code)
        let test = chiSquared(histogram, exact)
        #expect(test.chi2 < test.limit, "χ² \(test.chi2) ≥ \(test.limit); acceptance \(acceptance)")
        #expect(test.uniformChi2 > 10 * test.limit, "the distribution is too close to uniform to test anything")
        #expect(acceptance > 0.05 && acceptance < 0.95)
    }

    /// Composition distribution of semi-grand transmutations: P(n Kr) ∝ Σ_{assignments with n Kr}
    /// exp(−β(E − Δμ n)).
    @Test func transmutationsSampleTheSemiGrandComposition() throws {
        let (c, lj) = try system()
        let e = energies(c, lj)
        let kT = 0.02, deltaMu = 0.01
        let exact = boltzmann((0..<256).map { (e[$0] - deltaMu * Double($0.nonzeroBitCount)) / kT })
        let byCount = (0...8).map { n in (0..<256).filter { $0.nonzeroBitCount == n }.reduce(0) { $0 + exact[$1] } }
        let move = SemiGrandMove(chemicalPotentials: [(0, 0), (1, deltaMu)])
        let (histogram, _) = try sample(move, c, lj, kT: kT, stages: 4000, bins: 9) { $0.species.reduce(0) { $0 + Int($1) } }
        let test = chiSquared(histogram, byCount)
        #expect(test.chi2 < test.limit, "χ² \(test.chi2) ≥ \(test.limit): \(histogram) vs \(byCount)")
        #expect(test.uniformChi2 > 10 * test.limit)
    }

    /// Variance-constrained semi-grand: the weight gains exp(−β κ N (c − c⁰)²).
    @Test func constrainedTransmutationsSampleTheConstrainedComposition() throws {
        let (c, lj) = try system()
        let e = energies(c, lj)
        let kT = 0.02, deltaMu = 0.03, kappa = 0.05, target = 0.25
        let exact = boltzmann((0..<256).map { code -> Double in
            let n = Double(code.nonzeroBitCount), x = n / 8 - target
            return (e[code] - deltaMu * n + kappa * 8 * x * x) / kT
        })
        let byCount = (0...8).map { n in (0..<256).filter { $0.nonzeroBitCount == n }.reduce(0) { $0 + exact[$1] } }
        let move = SemiGrandMove(chemicalPotentials: [(0, 0), (1, deltaMu)], variance: (kappa, [(1, target)]))
        let (histogram, _) = try sample(move, c, lj, kT: kT, stages: 4000, bins: 9) { $0.species.reduce(0) { $0 + Int($1) } }
        let test = chiSquared(histogram, byCount)
        #expect(test.chi2 < test.limit, "χ² \(test.chi2) ≥ \(test.limit): \(histogram) vs \(byCount)")
        // Without the constraint the distribution differs: the constraint is seen.
        let unconstrained = boltzmann((0..<256).map { (e[$0] - deltaMu * Double($0.nonzeroBitCount)) / kT })
        let free = (0...8).map { n in (0..<256).filter { $0.nonzeroBitCount == n }.reduce(0) { $0 + unconstrained[$1] } }
        #expect(chiSquared(histogram, free).chi2 > 10 * test.limit)
    }
}
