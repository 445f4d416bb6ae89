import CrucibleCore
import Foundation
import Testing
@testable import CrucibleIO

/// Hangs the EAM fuzzing found downstream of the readers, in the neighbour-list binning
/// (NeighborList.makeGrid): the "tiny configuration" the fuzz harness evaluates every parsed file on.
@Suite struct FuzzDownstreamRegressionTests {
    static func copper() throws -> EmbeddedAtom {
        let tables = try EAMTables(funcflPaths: [IOTestResources.path("Cu_u3.eam")], elements: ["Cu"])
        var species = SpeciesTable()
        _ = species.add("Cu")
        return try EmbeddedAtom(splines: EAMSplines(tables), speciesTable: species)
    }

    static func energy(_ positions: [Double], cell: Cell) throws -> Double {
        var species = SpeciesTable()
        _ = species.add("Cu")
        var configuration = Configuration(cell: cell, positions: positions,
                                          species: [Int32](repeating: 0, count: positions.count / 3), speciesTable: species)
        var evaluator = Evaluator(potential: try copper(), skin: 0.3, threads: 1)
        return evaluator.evaluate(&configuration).energy
    }

    /// Was an endless loop: with few atoms, a periodic cell narrower than the list cutoff never got
    /// down to 4·N + 64 bins however coarse the bins, and the coarsening loop never stopped.
    @Test("the 4-atom fcc cell, narrower than the cutoff, evaluates (−3.54 eV/atom)")
    func smallPeriodicCell() throws {
        let a = 3.615
        let basis = [0.0, 0.0, 0.0, 0.5, 0.5, 0.0, 0.5, 0.0, 0.5, 0.0, 0.5, 0.5].map { $0 * a }
        let energy = try Self.energy(basis, cell: .orthorhombic(a, a, a))
        #expect(abs(energy / 4 + 3.54) < 1e-6, "\(energy / 4) eV/atom")
    }

    /// Was a hang: along a non-periodic axis where all atoms share a coordinate (one atom, a dimer,
    /// a flat cluster), the bin is 1e-9 thick and the stencil reach was the cutoff over that.
    @Test("flat or single-atom non-periodic clusters evaluate")
    func flatClusters() throws {
        let open = Cell(matrix: [10, 0, 0, 0, 10, 0, 0, 0, 10], periodic: [false, false, false])
        #expect(try Self.energy([1, 1, 1], cell: open).isFinite)
        let dimer = try Self.energy([1, 1, 1, 3.5, 1, 1], cell: open)
        #expect(dimer.isFinite && dimer < 0)
        #expect(try Self.energy([1, 1, 1, 3.5, 1, 1, 1, 3.5, 1, 3.5, 3.5, 1], cell: open).isFinite)
    }
}
