@testable import CrucibleCore

/// Small standard systems for tests.
enum TestSystems {
    /// fcc argon (ε = 0.0104 eV, σ = 3.40 Å, cutoff 8.5 Å, shifted) with `repeats`³ cells.
    static func argon(repeats: Int = 3, a: Double = 5.3, temperature: Double = 0, seed: UInt64 = 1) throws -> (Configuration, LennardJones) {
        var table = SpeciesTable(); _ = table.add("Ar")
        let (cell, positions) = Lattice(kind: .fcc, a: a, repeats: [repeats, repeats, repeats]).build()
        var c = Configuration(cell: cell, positions: positions, species: [Int32](repeating: 0, count: positions.count / 3), speciesTable: table)
        var random = RandomStream(seed: seed, stream: 99)
        if temperature > 0 { c.assignMaxwellBoltzmannVelocities(temperature: temperature, random: &random) }
        let lj = try LennardJones(pairs: [.init("Ar", "Ar", epsilon: 0.0104, sigma: 3.40)], cutoff: 8.5, shift: true, speciesTable: table)
        return (c, lj)
    }
}

/// Mean and the standard error of the mean from `blocks` block averages (for correlated samples).
func blockStatistics(_ samples: [Double], blocks: Int = 20) -> (mean: Double, error: Double) {
    let size = samples.count / blocks
    let means = (0..<blocks).map { b in samples[(b * size)..<((b + 1) * size)].reduce(0, +) / Double(size) }
    let mean = means.reduce(0, +) / Double(blocks)
    let variance = means.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(blocks - 1)
    return (mean, (variance / Double(blocks)).squareRoot())
}
