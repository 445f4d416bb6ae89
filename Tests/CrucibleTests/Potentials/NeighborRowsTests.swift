import Testing
@testable import CrucibleCore

/// The candidate rows of local queries (`NeighborList.prepareNeighborRows`) hold every pair within
/// the cutoff until the next rebuild, whether made at a build (reach cutoff + skin) or after atoms
/// moved (reach cutoff + skin + 2δ): checked against a brute-force search over periodic images at
/// positions moved as far as the rebuild criterion allows, in a sheared cell smaller than twice the
/// cutoff, and pairs along x that converging halves bring head-on; also for a list that keeps no
/// build positions (`check: no`: δ = skin/2). Rows made late hold more candidates.
@Suite struct NeighborRowsTests {
    /// Moves every atom of `start` by `distance` along x, the two halves of the cell (by fractional
    /// x) toward each other: pairs across the middle approach by 2·distance, the worst case the
    /// rows' reach must cover (negative: apart).
    func converged(_ start: Configuration, by distance: Double) -> Configuration {
        var c = start
        let inverse = c.cell.inverse
        for i in 0..<c.count {
            let x = c.positions[3 * i], y = c.positions[3 * i + 1], z = c.positions[3 * i + 2]
            let s = x * inverse[0] + y * inverse[3] + z * inverse[6]
            c.positions[3 * i] += s < 0.5 ? distance : -distance
        }
        return c
    }

    /// Sorted squared distances < cutoff² from atom i to every periodic image of every atom (not itself).
    func bruteForce(_ c: Configuration, atom i: Int, cutoff: Double) -> [Double] {
        var found: [Double] = []
        let h = c.cell.matrix
        for j in 0..<c.count {
            for a in -3...3 { for b in -3...3 { for e in -3...3 {
                if j == i && a == 0 && b == 0 && e == 0 { continue }
                var r2 = 0.0
                for k in 0..<3 {
                    let d = c.positions[3 * j + k] + Double(a) * h[k] + Double(b) * h[3 + k] + Double(e) * h[6 + k] - c.positions[3 * i + k]
                    r2 += d * d
                }
                if r2 < cutoff * cutoff { found.append(r2) }
            } } }
        }
        return found.sorted()
    }

    func rowQuery(_ list: NeighborList, atom i: Int, cutoff: Double) -> [Double] {
        var found: [Double] = []
        list.forEachNeighbor(ofAtom: i, within: cutoff) { _, _, _, _, r2 in found.append(r2) }
        return found.sorted()
    }

    /// Pairs along x straddling the middle of a 24 Å cube, at separations from the cutoff to
    /// cutoff + skin, each pair far from the others: converging halves bring each pair head-on, so
    /// rows reaching less than the bound miss a pair.
    static func headOnPairs(cutoff: Double, skin: Double) -> Configuration {
        var table = SpeciesTable()
        let cu = Int32(table.add("Cu")!)
        var positions: [Double] = []
        for (k, fraction) in [0.05, 0.3, 0.6, 0.75, 0.85, 0.92, 0.97, 0.995].enumerated() {
            let separation = cutoff + fraction * skin
            let y = 3.0 + 6.0 * Double(k % 4), z = 6.0 + 12.0 * Double(k / 4)
            positions += [12 - separation / 2, y, z, 12 + separation / 2, y, z]
        }
        return Configuration(cell: .orthorhombic(24, 24, 24), positions: positions,
                             species: [Int32](repeating: cu, count: positions.count / 3), speciesTable: table)
    }

    @Test(arguments: ["sheared crystal", "head-on pairs"])
    func rowsHoldEveryPairUntilTheNextRebuild(system: String) {
        let cutoff = 4.0, skin = 1.0
        var start = system == "head-on pairs" ? Self.headOnPairs(cutoff: cutoff, skin: skin)
            : rattledCrystal(.fcc, a: 3.6, repeats: [2, 2, 2], symbols: ["Cu"], rattle: 0.1, seed: 5, shear: 0.3)
        start.wrap()
        for made in ["after the build", "late", "late, build positions not kept"] {
            let kept = made != "late, build positions not kept"
            var list = NeighborList(cutoff: cutoff, skin: skin)
            list.checkDisplacement = kept   // `check: no` keeps no build positions: δ is taken as skin/2
            list.build(start)
            // Rows made at the build's positions, or after the halves moved 0.2 Å apart.
            var c = made == "after the build" ? start : converged(start, by: -0.2)
            list.refresh(c)
            list.prepareNeighborRows(c)
            let candidates = list.rows.count
            #expect(list.rowsBuild == list.buildCount)
            // Then the halves approach until atoms are just under skin/2 from their build positions,
            // the most the list allows.
            for fraction in [0.25, 0.499] {
                c = converged(start, by: fraction * skin)
                if kept { #expect(!list.needsRebuild(c)) }
                list.refresh(c)
                for i in 0..<c.count {
                    let rows = rowQuery(list, atom: i, cutoff: cutoff), exact = bruteForce(c, atom: i, cutoff: cutoff)
                    #expect(rows.count == exact.count && zip(rows, exact).allSatisfy { abs($0 - $1) < 1e-9 },
                            "atom \(i), rows made \(made)")
                }
            }
            // Rows made right after the next build reach cutoff + skin: fewer than rows made late.
            c.wrap()
            list.checkDisplacement = true
            list.build(c)
            #expect(list.rowsBuild != list.buildCount)
            list.prepareNeighborRows(c)
            if system == "sheared crystal" && made != "after the build" { #expect(list.rows.count < candidates) }
            // These rows were written into the storage of the first ones: every pair is there again.
            for i in 0..<c.count {
                let rows = rowQuery(list, atom: i, cutoff: cutoff), exact = bruteForce(c, atom: i, cutoff: cutoff)
                #expect(rows.count == exact.count && zip(rows, exact).allSatisfy { abs($0 - $1) < 1e-9 },
                        "atom \(i), rows made again after the next build")
            }
        }
    }
}
