import CrucibleCore

extension Configuration {
    /// The configuration of an extended-XYZ frame: cell (or, without one, a non-periodic box around
    /// the atoms), species by symbol with standard masses (or the frame's `masses` array), velocities
    /// from a `velocities` (Å/ps) array when present. `file` names the source in errors.
    public init(frame: XYZFrame, file: String) throws {
        var table = SpeciesTable()
        var species: [Int32] = []
        species.reserveCapacity(frame.atomCount)
        for (i, symbol) in frame.symbols.enumerated() {
            guard let index = table.add(symbol) else {
                throw InputError(file: file, key: "species", "atom \(i + 1) has unknown element symbol '\(symbol)'")
            }
            species.append(Int32(index))
        }
        var cell: Cell
        if frame.hasCell {
            cell = Cell(matrix: frame.cell, periodic: frame.pbc)
            guard cell.volume > 1e-9, cell.volume.isFinite else {
                throw InputError(file: file, key: "Lattice", "the cell is degenerate (volume \(cell.volume) Å³)")
            }
        } else {
            // No cell: a box around the atoms, not periodic.
            var lengths = [Double](repeating: 1, count: 3)
            for d in 0..<3 {
                let values = stride(from: d, to: frame.positions.count, by: 3).map { frame.positions[$0] }
                lengths[d] = max(1, (values.max() ?? 0) - (values.min() ?? 0) + 1)
            }
            cell = Cell(matrix: [lengths[0], 0, 0, 0, lengths[1], 0, 0, 0, lengths[2]], periodic: [false, false, false])
        }
        guard frame.positions.allSatisfy(\.isFinite) else {
            throw InputError(file: file, key: "pos", "positions contain NaN or infinite values")
        }
        var velocities: [Double]? = nil
        if case .doubles(let v, 3)? = frame.arrays["velocities"] { velocities = v }
        self.init(cell: cell, positions: frame.positions, species: species, speciesTable: table, velocities: velocities)
        if case .doubles(let masses, 1)? = frame.arrays["masses"] {
            for (i, symbol) in frame.symbols.enumerated() { speciesTable.setMass(masses[i], for: symbol) }
        }
    }
}

extension XYZFrame {
    /// A frame of `configuration` (atoms in their stored order) with positions, species and, when
    /// given, per-atom arrays such as forces or energies.
    public init(configuration c: Configuration) {
        self.init(cell: c.cell.matrix, pbc: c.cell.periodic,
                  symbols: c.species.map { c.speciesTable.symbols[Int($0)] }, positions: c.positions)
    }
}
