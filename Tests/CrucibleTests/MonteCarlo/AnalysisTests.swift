import Testing
@testable import CrucibleCore

/// Short-range order and composition profiles on structures whose answers are known by hand.
@Suite struct AnalysisTests {
    /// L1₀ order on fcc (a = 3.52 Å, 4×4×4 cells): (001) planes alternate A and B, so each atom has 4
    /// like and 8 unlike first neighbours and 6 like second neighbours. With c = ½:
    /// α_AA(1) = 1 − (4/12)/½ = 1/3, α_AB(1) = 1 − (8/12)/½ = −1/3, α_AA(2) = −1, α_AB(2) = 1.
    @Test func warrenCowleyOfL10Order() throws {
        var table = SpeciesTable(); _ = table.add("Cu"); _ = table.add("Au")
        let (cell, positions) = Lattice(kind: .fcc, a: 3.52, repeats: [4, 4, 4]).build()
        let species = (0..<(positions.count / 3)).map { i -> Int32 in
            // Planes at z = 0, a/2, a, …: even plane index → Cu.
            Int32(Int((positions[3 * i + 2] / 1.76).rounded()) % 2)
        }
        var c = Configuration(cell: cell, positions: positions, species: species, speciesTable: table)
        let lj = try LennardJones(pairs: [.init("Cu", "Cu", epsilon: 0.01, sigma: 2.3), .init("Au", "Au", epsilon: 0.01, sigma: 2.3)],
                                  cutoff: 4.5, shift: true, speciesTable: table)
        var evaluator = Evaluator(potential: lj, skin: 0.3)
        evaluator.evaluate(&c, request: .energy)
        let alpha = ShortRangeOrder.parameters(c, neighbors: evaluator.neighbors, shells: [3.0, 3.9])
        let expected: [Double] = [1.0 / 3, -1.0 / 3, -1.0 / 3, 1.0 / 3,  -1, 1, 1, -1]
        for (k, (a, e)) in zip(alpha, expected).enumerated() { #expect(abs(a - e) < 1e-12, "entry \(k): \(a) vs \(e)") }
        // A random assignment of the same atoms has |α| ≪ 1 (no order), so the test sees the order.
        var random = RandomStream(seed: 5)
        var shuffled = c
        shuffled.species.shuffle(using: &random)
        var fresh = Evaluator(potential: lj, skin: 0.3)
        fresh.evaluate(&shuffled, request: .energy)
        #expect(ShortRangeOrder.parameters(shuffled, neighbors: fresh.neighbors, shells: [3.0, 3.9]).allSatisfy { abs($0) < 0.2 })
    }

    /// Lower half of the cell (by z) all Cu, upper half all Au: 4 bins give 1, 1, 0, 0 Cu.
    @Test func compositionProfileOfTwoSlabs() {
        var table = SpeciesTable(); _ = table.add("Cu"); _ = table.add("Au")
        let (cell, positions) = Lattice(kind: .fcc, a: 3.6, repeats: [2, 2, 4]).build()
        let height = cell.matrix[8]
        // Shift by a quarter plane so no atom sits on a bin edge; wrap handles the top.
        let shifted = positions.enumerated().map { $0.offset % 3 == 2 ? $0.element + 0.45 : $0.element }
        let species = (0..<(positions.count / 3)).map { Int32(shifted[3 * $0 + 2] < height / 2 ? 0 : 1) }
        let c = Configuration(cell: cell, positions: shifted, species: species, speciesTable: table)
        let (fractions, atoms) = CompositionProfile.fractions(c, axis: 2, bins: 4)
        #expect(atoms.reduce(0, +) == c.count && atoms.allSatisfy { $0 == c.count / 4 })
        #expect(fractions == [1, 0, 1, 0, 0, 1, 0, 1])
    }
}
