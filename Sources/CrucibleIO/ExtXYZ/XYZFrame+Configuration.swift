import CrucibleCore

extension Configuration {
    /// The configuration of an extended-XYZ frame: cell (or, without one, a non-periodic box around
    /// the atoms), species by symbol with standard masses (or the frame's `masses` array), velocities
    /// from a `velocities` (Å/ps) array when present. `file` names the source in errors.
    ///
    /// Isotopes: a `labels` string column names each atom's species (as Crucible writes isotopes:
    /// element symbol in the species column, label and mass beside it). Without one, atoms of one
    /// element with different `masses` become separate species, labelled `<element>_2`, `_3`, … in
    /// order of appearance, so no atom's mass is lost.
    public init(frame: XYZFrame, file: String) throws {
        var table = SpeciesTable()
        var species: [Int32] = []
        species.reserveCapacity(frame.atomCount)
        var masses: [Double]?
        if case .doubles(let values, 1)? = frame.arrays["masses"] {
            guard values.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw InputError(file: file, key: "masses", "masses must be positive and finite")
            }
            masses = values
        }
        var labels: [String]?
        if case .strings(let values, 1)? = frame.arrays["labels"] { labels = values }
        var isotopeCount: [String: Int] = [:]
        for (i, symbol) in frame.symbols.enumerated() {
            guard Element(symbol: symbol) != nil else {
                throw InputError(file: file, key: "species", "atom \(i + 1) has unknown element symbol '\(symbol)'")
            }
            let mass = masses?[i] ?? Element(symbol: symbol)!.mass
            var index: Int?
            if let label = labels?[i], label != symbol {
                index = table.addIsotope(label, element: symbol, mass: mass)
                guard index != nil else {
                    throw InputError(file: file, key: "labels", "atom \(i + 1): label '\(label)' names atoms of another element or mass earlier in the frame")
                }
            } else if let first = table.index(of: symbol) {
                if table.masses[first] == mass {
                    index = first
                } else if labels != nil {
                    throw InputError(file: file, key: "masses", "atom \(i + 1): \(symbol) with mass \(mass) but label \(symbol) had mass \(table.masses[first]) earlier")
                } else {
                    // Another mass of this element, no labels: the isotope species of that mass, or a new one.
                    index = table.symbols.indices.first { table.elements[$0] == symbol && table.masses[$0] == mass }
                    if index == nil {
                        isotopeCount[symbol, default: 1] += 1
                        index = table.addIsotope("\(symbol)_\(isotopeCount[symbol]!)", element: symbol, mass: mass)
                    }
                }
            } else {
                index = table.add(symbol)
                table.setMass(mass, for: symbol)
            }
            species.append(Int32(index!))
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
    }
}

extension XYZFrame {
    /// A frame of `configuration` (atoms in their stored order) with positions, species and, when
    /// given, per-atom arrays such as forces or energies. With isotopes, the species column holds
    /// element symbols (what ASE and OVITO read) and the `masses` and `labels` columns each atom's
    /// mass and species label.
    public init(configuration c: Configuration) {
        let table = c.speciesTable
        self.init(cell: c.cell.matrix, pbc: c.cell.periodic,
                  symbols: c.species.map { table.elements[Int($0)] }, positions: c.positions)
        if table.hasIsotopes {
            arrays["masses"] = .doubles(c.species.map { table.masses[Int($0)] }, columns: 1)
            arrays["labels"] = .strings(c.species.map { table.symbols[Int($0)] }, columns: 1)
        }
    }
}
