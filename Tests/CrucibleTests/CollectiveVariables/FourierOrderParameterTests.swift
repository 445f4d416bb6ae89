import Foundation
import Testing
@testable import CrucibleCore

@Suite struct FourierOrderParameterTests {
    func value(_ c: Configuration, vectors: [[Int]]) -> Double {
        var q = FourierOrderParameter(vectors: vectors, selected: [Bool](repeating: true, count: c.speciesTable.count))
        return q.evaluate(c, neighbors: NeighborList(cutoff: 1, skin: 0))
    }

    /// Every reciprocal-lattice vector of a perfect crystal gives 1, wherever the crystal sits; one
    /// that is not (fcc (100)) gives 0.
    @Test func perfectCrystalGivesOne() {
        var c = rattledCrystal(.fcc, a: 3.6, repeats: [4, 5, 6], symbols: ["Cu"], rattle: 0, seed: 1)
        for i in 0..<c.count { c.positions[3 * i] += 0.731; c.positions[3 * i + 2] -= 1.3 }
        #expect(abs(value(c, vectors: [[8, 0, 0], [0, 10, 0], [4, 5, 6]]) - 1) < 1e-12)
        #expect(value(c, vectors: [[4, 0, 0]]) < 1e-12)
    }

    /// Gaussian displacements of variance σ² per axis: ⟨ρ_k⟩ = exp(−k²σ²/2) (Debye–Waller), with
    /// fluctuations of order 1/√N.
    @Test func thermalDisplacementsGiveTheDebyeWallerFactor() {
        let a = 3.6, sigma = 0.12
        var c = rattledCrystal(.fcc, a: a, repeats: [10, 10, 10], symbols: ["Cu"], rattle: 0, seed: 1)
        var random = RandomStream(seed: 11)
        for k in c.positions.indices { c.positions[k] += sigma * random.normal() }
        let k = 2 * Double.pi * 2 / a
        let expected = exp(-k * k * sigma * sigma / 2)
        let q = value(c, vectors: [[20, 0, 0], [0, 20, 0], [0, 0, 20]])
        #expect(abs(q - expected) < 3 / Double(c.count).squareRoot(), "Q \(q) vs Debye–Waller \(expected)")
    }

    /// Uncorrelated positions: |ρ_k| is Rayleigh distributed with mean √(π/(4N)).
    @Test func randomPositionsGiveTheRayleighMean() {
        var table = SpeciesTable(); _ = table.add("Ar")
        var random = RandomStream(seed: 5)
        let n = 500, samples = 400
        var sum = 0.0
        for _ in 0..<samples {
            let c = Configuration(cell: .orthorhombic(20, 20, 20), positions: (0..<(3 * n)).map { _ in 20 * random.uniform() },
                                  species: [Int32](repeating: 0, count: n), speciesTable: table)
            sum += value(c, vectors: [[6, 0, 0]])
        }
        let mean = sum / Double(samples), expected = (Double.pi / (4 * Double(n))).squareRoot()
        // Standard error of the mean of a Rayleigh variable: √((4 − π)/(4N) / samples).
        let error = ((4 - Double.pi) / (4 * Double(n)) / Double(samples)).squareRoot()
        #expect(abs(mean - expected) < 4 * error, "mean \(mean) vs \(expected) ± \(error)")
    }
}
