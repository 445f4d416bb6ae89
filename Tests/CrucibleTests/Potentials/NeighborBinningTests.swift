import Foundation
import Testing
@testable import CrucibleCore
@testable import CrucibleIO

/// The neighbour-list bins in extreme cells: huge, flat, sheared, non-periodic with atoms far apart,
/// atoms far outside the cell. Each configuration must give the energy of the same atoms in an
/// ordinary cell, with a bin grid within its caps that still tiles the cell (integer bins per cell).
@Suite struct NeighborBinningTests {
    static let copper: EmbeddedAtom = {
        let tables = try! EAMTables(funcflPaths: [IOTestResources.path("Cu_u3.eam")], elements: ["Cu"])
        var species = SpeciesTable()
        _ = species.add("Cu")
        return try! EmbeddedAtom(splines: EAMSplines(tables), speciesTable: species)
    }()

    /// Energy (and the list it was evaluated with) of Cu atoms at `positions` in `cell`.
    static func evaluate(_ positions: [Double], cell: Cell, threads: Int = 1) -> (PotentialResult, NeighborList) {
        var species = SpeciesTable()
        _ = species.add("Cu")
        var configuration = Configuration(cell: cell, positions: positions,
                                          species: [Int32](repeating: 0, count: positions.count / 3), speciesTable: species)
        var evaluator = Evaluator(potential: copper, skin: 0.3, threads: threads)
        let result = evaluator.evaluate(&configuration)
        return (result, evaluator.neighbors)
    }

    /// The bin grid's invariants: capped counts, integer bins per cell along periodic axes with
    /// ghost layers at least r_list thick, a reach that covers r_list with the actual bins.
    static func checkGrid(_ list: NeighborList, cell: Cell, sourceLocation: SourceLocation = #_sourceLocation) {
        let grid = list.bins
        let widths = cell.perpendicularWidths
        #expect(grid.binCount <= max(4 * list.atomCount + 64, 27), "\(grid.counts)", sourceLocation: sourceLocation)
        #expect(grid.start.count == grid.binCount + 1, sourceLocation: sourceLocation)
        for k in 0..<3 {
            #expect(grid.counts[k] >= 1, sourceLocation: sourceLocation)
            let thickness = grid.size[k] * widths[k]  // real-space bin thickness
            if cell.periodic[k] {
                #expect(grid.perCell[k] >= 1 && grid.perCell[k] <= NeighborList.maxBinsPerAxis, sourceLocation: sourceLocation)
                #expect(grid.size[k] == 1 / Double(grid.perCell[k]), sourceLocation: sourceLocation)
                #expect(grid.counts[k] == grid.perCell[k] + 2 * grid.ghostLayers[k], sourceLocation: sourceLocation)
                #expect(Double(grid.ghostLayers[k]) * thickness >= list.listCutoff, sourceLocation: sourceLocation)
            } else {
                #expect(grid.counts[k] <= NeighborList.maxBinsPerAxis, sourceLocation: sourceLocation)
            }
            #expect(grid.reach[k] >= 1 && (Double(grid.reach[k]) * thickness >= list.listCutoff || grid.reach[k] >= grid.counts[k] - 1),
                    "axis \(k): reach \(grid.reach[k]) of \(thickness) Å bins", sourceLocation: sourceLocation)
        }
    }

    /// A dimer 2.5 Å apart and a third atom nearby, in a 30 Å periodic cube: the reference.
    static let cluster: [Double] = [0, 0, 0, 2.5, 0, 0, 1.2, 2.1, 0.3]
    static let clusterEnergy: Double = evaluate(cluster, cell: .orthorhombic(30, 30, 30)).0.energy

    @Test("periodic cubes from 30 Å to 1e100 Å give the cluster's energy; the bins stay capped",
          arguments: [1e3, 1e6, 2.9e6, 1e7, 1e9, 1e12, 1e15, 1e50, 1e100])
    func hugePeriodicCube(edge: Double) {
        let cell = Cell.orthorhombic(edge, edge, edge)
        let (result, list) = Self.evaluate(Self.cluster, cell: cell)
        #expect(Self.clusterEnergy < 0)
        #expect(abs(result.energy - Self.clusterEnergy) < 1e-12, "edge \(edge): \(result.energy) vs \(Self.clusterEnergy)")
        #expect(list.pairCount == 3)
        Self.checkGrid(list, cell: cell)
        let (two, _) = Self.evaluate(Self.cluster, cell: cell, threads: 2)
        #expect(two == result)
    }

    @Test("a pair across the boundary of a huge periodic cell is found through its ghost",
          arguments: [1e3, 1e7, 1e9])
    func pairAcrossTheBoundary(edge: Double) {
        let cell = Cell.orthorhombic(edge, edge, edge)
        let (result, list) = Self.evaluate([edge - 1.25, 0, 0, 1.25, 0, 0], cell: cell)
        let (reference, _) = Self.evaluate([0, 0, 0, 2.5, 0, 0], cell: .orthorhombic(30, 30, 30))
        #expect(abs(result.energy - reference.energy) < 1e-6, "edge \(edge): \(result.energy) vs \(reference.energy)")
        #expect(list.pairCount == 1)
        Self.checkGrid(list, cell: cell)
    }

    @Test("flat and sheared periodic cells with 1e7–1e12 Å edges match ordinary cells")
    func flatAndShearedCells() {
        // A 3 Å slab: the atoms meet their own images along c.
        let slab = Self.evaluate(Self.cluster, cell: .orthorhombic(40, 40, 3)).0.energy
        for edge in [1e7, 1e12] {
            let cell = Cell.orthorhombic(edge, edge, 3)
            let (result, list) = Self.evaluate(Self.cluster, cell: cell)
            #expect(abs(result.energy - slab) < 1e-12, "edge \(edge): \(result.energy) vs \(slab)")
            Self.checkGrid(list, cell: cell)
        }
        // b leans by nearly a: the face distance along a is 1e3 Å; the lattice is a 1e7 × 1e3 × 1e7 box, sheared.
        let sheared = Cell(matrix: [1e7, 0, 0, 9.99999e6, 1e3, 0, 0, 0, 1e7])
        let (result, list) = Self.evaluate(Self.cluster, cell: sheared)
        // Wrapping moves atoms by ~1e7 Å lattice vectors and back: positions keep ~1e-9 Å.
        #expect(abs(result.energy - Self.clusterEnergy) < 1e-8, "\(result.energy) vs \(Self.clusterEnergy)")
        Self.checkGrid(list, cell: sheared)
    }

    @Test("non-periodic: atoms 1e8 and 1e300 Å apart, and a box of 1e100 Å")
    func farApartOpenAxes() {
        let open = Cell(matrix: [10, 0, 0, 0, 10, 0, 0, 0, 10], periodic: [false, false, false])
        let reference = Self.evaluate(Self.cluster, cell: open).0.energy
        #expect(abs(reference - Self.clusterEnergy) < 1e-12)
        for far in [1e8, 1e300] {
            for positions in [Self.cluster + [far, 0, 0], Self.cluster + [far, far, far], Self.cluster + [-far, 0, 0, far, far, 0]] {
                let (result, list) = Self.evaluate(positions, cell: open)
                #expect(abs(result.energy - reference) < 1e-12, "far \(far): \(result.energy) vs \(reference)")
                #expect(result.forces.allSatisfy { $0.isFinite })
                Self.checkGrid(list, cell: open)
            }
        }
        let huge = Cell(matrix: [1e100, 0, 0, 0, 1e100, 0, 0, 0, 1e100], periodic: [false, true, false])
        let (result, list) = Self.evaluate(Self.cluster + [5e99, 5e99, 5e99], cell: huge)
        #expect(abs(result.energy - reference) < 1e-12)
        Self.checkGrid(list, cell: huge)
    }

    @Test("atoms up to 1e300 Å outside a periodic cell are wrapped; the image counters saturate")
    func hugeCoordinates() {
        var species = SpeciesTable()
        _ = species.add("Cu")
        var c = Configuration(cell: .orthorhombic(10, 10, 10), positions: [1e300, 0, 0, -1e20, 2.5, 0, 2.5, 0, 1e15],
                              species: [0, 0, 0], speciesTable: species)
        c.wrap()
        #expect(c.images[0] == Int32.max && c.images[3] == Int32.min && c.images[8] == Int32.max)
        #expect(c.positions.allSatisfy { $0 >= 0 && $0 <= 10 })
        c.positions[0] = 1e300
        c.wrap()
        #expect(c.images[0] == Int32.max)  // saturated, not wrapped around
        let (result, _) = Self.evaluate([1e300, 0, 0, 2.5, 0, 0], cell: .orthorhombic(10, 10, 10))
        let (reference, _) = Self.evaluate([0, 0, 0, 2.5, 0, 0], cell: .orthorhombic(10, 10, 10))
        #expect(result.energy == reference.energy)
    }

    /// The caps change nothing for ordinary cells: bins about r_list/2 thick at the first try.
    @Test("ordinary cells keep their bins")
    func ordinaryCellsKeepTheirBins() throws {
        let (cell, positions) = Lattice(kind: .fcc, a: 3.57, repeats: [5, 5, 5]).build()
        let (_, list) = Self.evaluate(positions, cell: cell)
        let width = cell.perpendicularWidths[0]
        let perCell = Int(width / (list.listCutoff / 2))
        let ghosts = Int((list.listCutoff / width * Double(perCell)).rounded(.up))
        let side = perCell + 2 * ghosts
        try #require(side * side * side <= 4 * 500 + 64)  // else the first try would be coarsened
        #expect(list.bins.perCell == [perCell, perCell, perCell])
        #expect(list.bins.counts == [side, side, side])
        Self.checkGrid(list, cell: cell)
    }
}
