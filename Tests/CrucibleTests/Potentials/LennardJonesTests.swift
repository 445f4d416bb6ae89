import Testing
@testable import CrucibleCore

@Suite struct LennardJonesTests {
    func argonKrypton(_ table: SpeciesTable, shift: Bool = true) throws -> LennardJones {
        try LennardJones(pairs: [.init("Ar", "Ar", epsilon: 0.0104, sigma: 3.40),
                                 .init("Kr", "Kr", epsilon: 0.0140, sigma: 3.65),
                                 .init("Ar", "Kr", epsilon: 0.0120, sigma: 3.52)],
                         cutoff: 8.5, shift: shift, speciesTable: table)
    }

    @Test func passesThePotentialChecker() throws {
        let c = rattledCrystal(.fcc, a: 5.6, repeats: [3, 3, 3], symbols: ["Ar", "Kr"], rattle: 0.2, seed: 1, shear: 0.3)
        PotentialChecker(potential: try argonKrypton(c.speciesTable)).check(c)
    }

    @Test func smallCellSeesPeriodicImages() throws {
        // 2×2×2 fcc cell of 11.2 Å with an 8.5 Å cutoff: every atom sees several images of itself.
        let c = rattledCrystal(.fcc, a: 5.6, repeats: [2, 2, 2], symbols: ["Ar", "Kr"], rattle: 0.15, seed: 2)
        PotentialChecker(potential: try argonKrypton(c.speciesTable)).check(c)
    }

    @Test func perfectCrystalMatchesLatticeSum() throws {
        // fcc Ar, unshifted: E/atom = 2ε Σ_shells n_k [(σ/r_k)^12 − (σ/r_k)^6] over shells inside the cutoff.
        var table = SpeciesTable(); _ = table.add("Ar")
        let a = 5.26, cutoff = 12.0
        let (cell, positions) = Lattice(kind: .fcc, a: a, repeats: [3, 3, 3]).build()
        var c = Configuration(cell: cell, positions: positions, species: [Int32](repeating: 0, count: positions.count / 3), speciesTable: table)
        let lj = try LennardJones(pairs: [.init("Ar", "Ar", epsilon: 0.0104, sigma: 3.4)], cutoff: cutoff, shift: false, speciesTable: table)
        var evaluator = Evaluator(potential: lj, skin: 0.5)
        let e = evaluator.evaluate(&c).energy / Double(c.count)
        var expected = 0.0
        let range = 6
        for i in -range...range { for j in -range...range { for k in -range...range {
            // fcc sites: integer (i,j,k) with even sum, times a/2.
            guard (i + j + k) % 2 == 0, !(i == 0 && j == 0 && k == 0) else { continue }
            let r = (Double(i * i + j * j + k * k)).squareRoot() * a / 2
            if r < cutoff { let s6 = (3.4 / r) * (3.4 / r) * (3.4 / r) * (3.4 / r) * (3.4 / r) * (3.4 / r); expected += 2 * 0.0104 * (s6 * s6 - s6) }
        } } }
        #expect(abs(e - expected) < 1e-12)
    }

    @Test func localSwapEnergyEqualsGlobal() throws {
        let c = rattledCrystal(.fcc, a: 5.6, repeats: [3, 3, 3], symbols: ["Ar", "Kr", "Kr"], rattle: 0.1, seed: 3)
        PotentialChecker(potential: try argonKrypton(c.speciesTable)).checkSwap(c, 0, 4)
    }
}
