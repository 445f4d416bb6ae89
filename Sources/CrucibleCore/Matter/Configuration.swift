/// The microstate of one replica: cell, positions, velocities and species of every atom.
/// Per-atom data live in flat contiguous buffers (x0 y0 z0 x1 y1 z1 …) for hot loops.
public struct Configuration: Equatable, Sendable {
    public var cell: Cell
    /// Å, flat 3N.
    public var positions: [Double]
    /// Å/ps, flat 3N.
    public var velocities: [Double]
    /// Index into `speciesTable` for each atom.
    public var species: [Int32]
    public var speciesTable: SpeciesTable
    /// Stable identity of each atom (its index in the input), kept through any reordering.
    public var ids: [Int32]
    /// Periodic image counters (how often each atom was wrapped along a, b, c), flat 3N.
    public var images: [Int32]

    public init(cell: Cell, positions: [Double], species: [Int32], speciesTable: SpeciesTable, velocities: [Double]? = nil) {
        precondition(positions.count == 3 * species.count)
        self.cell = cell
        self.positions = positions
        self.velocities = velocities ?? [Double](repeating: 0, count: positions.count)
        self.species = species
        self.speciesTable = speciesTable
        self.ids = (0..<Int32(species.count)).map { $0 }
        self.images = [Int32](repeating: 0, count: positions.count)
    }

    public var count: Int { species.count }

    /// Mass of each atom, amu.
    public var masses: [Double] { species.map { speciesTable.masses[Int($0)] } }

    /// Σ of the atoms' masses in atom order, amu (the sum `masses.reduce(0, +)` gives, without
    /// forming N doubles for one number).
    public var totalMass: Double {
        let table = speciesTable.masses
        var total = 0.0
        for s in species { total += table[Int(s)] }
        return total
    }

    /// Kinetic energy, eV.
    public var kineticEnergy: Double {
        var sum = 0.0
        let table = speciesTable.masses
        for i in 0..<count {
            let m = table[Int(species[i])]
            let vx = velocities[3 * i], vy = velocities[3 * i + 1], vz = velocities[3 * i + 2]
            sum += m * (vx * vx + vy * vy + vz * vz)
        }
        return 0.5 * sum * Units.kineticToEV
    }

    /// Kinetic part of the pressure tensor times volume, Σ m v⊗v in eV (Voigt: xx yy zz yz xz xy).
    public var kineticTensor: [Double] {
        var t = [Double](repeating: 0, count: 6)
        let table = speciesTable.masses
        for i in 0..<count {
            let m = table[Int(species[i])] * Units.kineticToEV
            let vx = velocities[3 * i], vy = velocities[3 * i + 1], vz = velocities[3 * i + 2]
            t[0] += m * vx * vx; t[1] += m * vy * vy; t[2] += m * vz * vz
            t[3] += m * vy * vz; t[4] += m * vx * vz; t[5] += m * vx * vy
        }
        return t
    }

    /// Wraps every atom into the cell along its periodic axes, counting the wraps in `images`.
    public mutating func wrap() {
        let inv = cell.inverse
        let h = cell.matrix
        let periodic = cell.periodic
        for i in 0..<count {
            let x = positions[3 * i], y = positions[3 * i + 1], z = positions[3 * i + 2]
            var s = [x * inv[0] + y * inv[3] + z * inv[6], x * inv[1] + y * inv[4] + z * inv[7], x * inv[2] + y * inv[5] + z * inv[8]]
            var moved = false
            for k in 0..<3 where periodic[k] {
                let shift = (s[k]).rounded(.down)
                if shift != 0 {
                    s[k] -= shift
                    // The counter saturates: an atom ≥ 2^31 cells out (only from a file) cannot be counted.
                    let wraps = shift <= -2147483648 ? Int32.min : shift >= 2147483647 ? Int32.max : Int32(shift)
                    let (sum, overflow) = images[3 * i + k].addingReportingOverflow(wraps)
                    images[3 * i + k] = overflow ? (wraps < 0 ? Int32.min : Int32.max) : sum
                    moved = true
                }
            }
            if moved {
                for c in 0..<3 { positions[3 * i + c] = s[0] * h[c] + s[1] * h[3 + c] + s[2] * h[6 + c] }
            }
        }
    }
}
