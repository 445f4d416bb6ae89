/// Warren–Cowley short-range order parameters of a configuration, by neighbour shell:
///
///     α_ab(s) = 1 − p_ab(s) / c_b
///
/// where p_ab(s) is the fraction of species-b atoms among the shell-s neighbours of all species-a
/// atoms, and c_b the overall fraction of b (Cowley, Phys. Rev. 77, 669 (1950)). α < 0: a–b
/// neighbours more frequent than at random (ordering); α > 0: fewer (clustering). Shell s holds the
/// pairs with shells[s−1] ≤ r < shells[s] (shells[−1] = 0), counted from the neighbour list at the
/// configuration's current positions, so the outermost radius must not exceed the list's cutoff.
public enum ShortRangeOrder {
    /// α for every shell and ordered species pair, flat [shell][a][b] over the species table; NaN
    /// where a or b has no atoms.
    public static func parameters(_ configuration: Configuration, neighbors list: NeighborList, shells: [Double]) -> [Double] {
        let species = configuration.speciesTable.count
        let counts = pairCounts(neighbors: list, shells: shells, species: species)
        var total = [Double](repeating: 0, count: species)
        for s in configuration.species { total[Int(s)] += 1 }
        let n = Double(configuration.count)
        var alpha = [Double](repeating: .nan, count: shells.count * species * species)
        for shell in shells.indices {
            for a in 0..<species {
                let row = (shell * species + a) * species
                let neighbours = (0..<species).reduce(0.0) { $0 + counts[row + $1] }
                for b in 0..<species where total[a] > 0 && total[b] > 0 && neighbours > 0 {
                    alpha[row + b] = 1 - (counts[row + b] / neighbours) / (total[b] / n)
                }
            }
        }
        return alpha
    }

    /// Number of (a, b) neighbour pairs in each shell, both directions, flat [shell][a][b].
    static func pairCounts(neighbors list: NeighborList, shells: [Double], species: Int) -> [Double] {
        var counts = [Double](repeating: 0, count: shells.count * species * species)
        let squared = shells.map { $0 * $0 }
        let centerCount = list.centers.count
        list.withPairArrays(empty: ()) { arrays in
            let x = arrays.positions, type = arrays.species, first = arrays.firstNeighbor
            for center in 0..<centerCount {
                let i = Int(arrays.centers[center])
                let a = Int(type[i])
                for k in Int(first[center])..<Int(first[center + 1]) {
                    let j = Int(arrays.neighbors[k])
                    let dx = x[3 * i] - x[3 * j], dy = x[3 * i + 1] - x[3 * j + 1], dz = x[3 * i + 2] - x[3 * j + 2]
                    let r2 = dx * dx + dy * dy + dz * dz
                    guard let shell = squared.firstIndex(where: { r2 < $0 }) else { continue }
                    let b = Int(type[j])
                    counts[(shell * species + a) * species + b] += 1
                    counts[(shell * species + b) * species + a] += 1
                }
            }
        }
        return counts
    }
}
