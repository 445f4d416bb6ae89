import CrucibleCore

/// Building EAMTables from LAMMPS potential files.
extension EAMTables {
    /// eam/alloy or eam/fs: the file's tables are used as they are.
    public init(setfl file: SetflFile) {
        self.init(style: file.variant == .alloy ? .setfl : .finnisSinclair, elements: file.elements, masses: file.masses,
                  nrho: file.nrho, drho: file.drho, nr: file.nr, dr: file.dr, cutoff: file.cutoff,
                  rhomax: Double(file.nrho - 1) * file.drho, embedding: file.embedding, density: file.density, z2r: file.z2r)
    }

    /// Reads a `.eam.alloy` file.
    public init(setflPath path: String) throws {
        self.init(setfl: try SetflFile(path: path, variant: .alloy))
    }

    /// Reads a `.eam.fs` file.
    public init(finnisSinclairPath path: String) throws {
        self.init(setfl: try SetflFile(path: path, variant: .finnisSinclair))
    }

    /// Reads funcfl `.eam` files, one per element, and mixes them as `pair_style eam` does.
    public init(funcflPaths paths: [String], elements: [String]) throws {
        try self.init(funcfl: try paths.map { try FuncflFile(path: $0) }, elements: elements)
    }
}
