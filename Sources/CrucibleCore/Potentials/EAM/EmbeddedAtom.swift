/// Embedded-atom method: E = Σ_i F_i(ρ_i) + ½ Σ_{i≠j} φ_ij(r_ij), ρ_i = Σ_j ρ_{j→i}(r_ij), with the
/// tables of a LAMMPS potential file interpolated by LAMMPS's cubic splines (`EAMSplines`), so
/// energies and forces match LAMMPS `pair_style eam`, `eam/alloy` and `eam/fs`.
public struct EmbeddedAtom: ScratchOwningPotential, LocalEnergy {
    public let name: String
    public let splines: EAMSplines
    public var cutoff: Double { splines.cutoff }
    /// Number of species of the configuration this potential is bound to.
    let typeCount: Int
    /// Element of the file for each configuration species.
    let elementOfType: [Int]
    /// Offsets into the coefficient tables for each ordered configuration-species pair (i, j), row-major:
    /// the ρ spline for density at an i atom due to a j atom, and the r·φ spline of the pair.
    let densityOffset: [Int]
    /// Whether ρ_{i←j} depends on the source j only (eam and eam/alloy; eam/fs tables depend on both):
    /// then an atom's own density does not change with its species.
    let densityIgnoresTarget: Bool
    let pairOffset: [Int]
    /// This copy's scratch memory (each evaluator holds its own copy of the potential).
    public var scratch = EAMScratch()

    /// Binds the potential to the species of a configuration; every species must be in the file.
    public init(splines: EAMSplines, speciesTable: SpeciesTable, name: String = "eam") throws {
        self.splines = splines
        self.name = name
        typeCount = speciesTable.count
        var elements: [Int] = []
        for symbol in speciesTable.elements {
            guard let element = splines.elements.firstIndex(of: symbol) else {
                throw InputError(file: name, key: "potential.eam",
                                 "the structure contains \(symbol) but the EAM potential has only \(splines.elements.joined(separator: ", "))")
            }
            elements.append(element)
        }
        elementOfType = elements
        var density: [Int] = [], pair: [Int] = []
        for i in 0..<typeCount {
            for j in 0..<typeCount {
                density.append(splines.densityTable(source: elements[j], target: elements[i]) * splines.rTableStride)
                pair.append(splines.pairTable(elements[i], elements[j]) * splines.rTableStride)
            }
        }
        densityOffset = density
        pairOffset = pair
        let types = typeCount
        densityIgnoresTarget = (0..<types).allSatisfy { i in (0..<types).allSatisfy { density[i * types + $0] == density[$0] } }
    }
}

/// Scratch memory of an EAM term: the pair-loop buffers and the per-atom densities and embedding slopes.
public struct EAMScratch: ScratchMemory {
    var pairs = PairScratch()
    /// ρ per owned atom.
    var density: [Double] = []
    /// F(ρ) and F'(ρ) per owned atom, and F'(ρ) per extended atom. (F is kept for Monte Carlo:
    /// a trial then evaluates only the new embedding energies of the atoms it changes.)
    var embeddingEnergy: [Double] = []
    var embeddingSlope: [Double] = []
    var extendedSlope: [Double] = []
    /// Monte Carlo staging (`speciesChangeEnergy`): the first `stagedCount` entries are the atoms
    /// whose density a trial change alters and their new densities; each atom's slot in these lists
    /// (−1: none). Sized to the atoms once, so a trial allocates nothing.
    var stagedAtoms: [Int] = []
    var stagedDensity: [Double] = []
    var stagedEmbedding: [Double] = []
    /// Species and F(ρ) of each staged atom before the trial's change.
    var stagedType: [Int32] = []
    var stagedOldEmbedding: [Double] = []
    var stagedSlot: [Int32] = []
    var stagedCount = 0

    public init() {}
}
