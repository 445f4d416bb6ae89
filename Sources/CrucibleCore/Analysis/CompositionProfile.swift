/// The composition of a configuration in slabs along one cell vector: the fraction of each
/// species among the atoms whose fractional coordinate along that vector falls in each of `bins`
/// equal slabs (wrapped into [0, 1)). Shows segregation to a surface or an interface, or phase
/// separation along an axis.
public enum CompositionProfile {
    /// Flat [bin][species]: fraction of species s among the atoms of the bin (NaN for an empty bin),
    /// and the number of atoms per bin.
    public static func fractions(_ configuration: Configuration, axis: Int, bins: Int) -> (fractions: [Double], atoms: [Int]) {
        let species = configuration.speciesTable.count
        let inverse = configuration.cell.inverse
        var counts = [Int](repeating: 0, count: bins * species)
        var atoms = [Int](repeating: 0, count: bins)
        for i in 0..<configuration.count {
            let x = configuration.positions[3 * i], y = configuration.positions[3 * i + 1], z = configuration.positions[3 * i + 2]
            var s = x * inverse[axis] + y * inverse[3 + axis] + z * inverse[6 + axis]
            s -= s.rounded(.down)
            let bin = min(bins - 1, max(0, Int(s * Double(bins))))
            counts[bin * species + Int(configuration.species[i])] += 1
            atoms[bin] += 1
        }
        let fractions = counts.enumerated().map { k, n in atoms[k / species] > 0 ? Double(n) / Double(atoms[k / species]) : .nan }
        return (fractions, atoms)
    }
}
