import Testing
@testable import CrucibleCore

/// The pinning bias on each collective variable through the shared potential checker (forces and
/// virial against finite differences, translation, rotation, thread independence), added to LJ.
@Suite struct PinningBiasTests {
    func argon(_ c: Configuration) throws -> LennardJones {
        try LennardJones(pairs: [.init("Ar", "Ar", epsilon: 0.0104, sigma: 3.40)], cutoff: 8.5, shift: true, speciesTable: c.speciesTable)
    }

    func crystal(shear: Double = 0.2) -> Configuration {
        rattledCrystal(.fcc, a: 5.4, repeats: [3, 3, 3], symbols: ["Ar"], rattle: 0.25, seed: 4, shear: shear)
    }

    @Test func fourierBiasPassesTheChecker() throws {
        let c = crystal()
        let bias = PinningBias(variable: FourierOrderParameter(vectors: [[6, 0, 0], [0, 6, 0], [2, 2, 2]], selected: [true]),
                               kappa: 40, center: 0.3)
        PotentialChecker(potential: PotentialSum([try argon(c), bias])).check(c)
        // The bias alone (a variable with no neighbours still needs a list: LJ with ε = 0 gives one).
        let silent = try LennardJones(pairs: [.init("Ar", "Ar", epsilon: 0, sigma: 3.40)], cutoff: 4, shift: true, speciesTable: c.speciesTable)
        PotentialChecker(potential: PotentialSum([silent, bias])).check(c)
    }

    @Test func steinhardtBiasPassesTheChecker() throws {
        let c = crystal()
        // A switch region (3.6 to 4.6 Å) that many rattled first-neighbour bonds cross.
        let bias = PinningBias(variable: SteinhardtOrder(weight: CosineSwitch(inner: 3.6, outer: 4.6), selected: [true]), kappa: 25, center: 0.2)
        PotentialChecker(potential: PotentialSum([try argon(c), bias])).check(c)
        PotentialChecker(potential: bias).check(c)
    }

    @Test func solidCountBiasPassesTheChecker() throws {
        let c = crystal()
        let count = SolidLikeCount(weight: CosineSwitch(inner: 3.6, outer: 4.6), threshold: RationalSwitch(r0: 0.4, n: 6, m: 12), selected: [true])
        PotentialChecker(potential: PotentialSum([try argon(c), PinningBias(variable: count, kappa: 0.01, center: 20)])).check(c)
        PotentialChecker(potential: PinningBias(variable: count, kappa: 0.01, center: 20)).check(c)
    }

    /// A cell smaller than twice the CV cutoff: bonds to several images of the same atom (and to the
    /// atom's own images) enter the bond-order parameters, and the checker still agrees.
    @Test func bondOrderBiasesSeePeriodicImages() throws {
        let c = rattledCrystal(.fcc, a: 5.4, repeats: [2, 2, 2], symbols: ["Ar"], rattle: 0.25, seed: 8, shear: 0.15)
        #expect(c.cell.perpendicularWidths.min()! < 2 * 6.0)
        let q6 = PinningBias(variable: SteinhardtOrder(weight: CosineSwitch(inner: 5.0, outer: 6.0), selected: [true]), kappa: 25, center: 0.2)
        PotentialChecker(potential: PotentialSum([try argon(c), q6])).check(c)
        let count = SolidLikeCount(weight: CosineSwitch(inner: 3.6, outer: 6.0), threshold: RationalSwitch(r0: 0.3, n: 6, m: 12), selected: [true])
        PotentialChecker(potential: PotentialSum([try argon(c), PinningBias(variable: count, kappa: 0.05, center: 5)])).check(c)
    }

    @Test func speciesSelectionCountsOneSublattice() throws {
        // fcc with species alternating over the basis: Na on (0,0,0) and (½,0,½), Cl on (0,½,½) and
        // (½,½,0). At k = 2π/a ŷ the whole crystal's component vanishes (y = 0 and y = ½ cancel),
        // the Na sublattice's is 1 (all its atoms at y = 0 planes).
        let c = rattledCrystal(.fcc, a: 5.6, repeats: [2, 2, 2], symbols: ["Na", "Cl"], rattle: 0, seed: 1, shear: 0)
        #expect(c.speciesTable.symbols == ["Na", "Cl"])
        var both = FourierOrderParameter(vectors: [[0, 2, 0]], selected: [true, true])
        var sodium = FourierOrderParameter(vectors: [[0, 2, 0]], selected: [true, false])
        let list = NeighborList(cutoff: 1, skin: 0)
        #expect(both.evaluate(c, neighbors: list) < 1e-12)
        #expect(abs(sodium.evaluate(c, neighbors: list) - 1) < 1e-12)
        #expect(PinningBias(variable: sodium, kappa: 1, center: 0).local == nil)
    }
}
