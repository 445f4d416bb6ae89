/// 12-6 Lennard-Jones with per-species-pair ε, σ and cutoff, optionally shifted to zero at the cutoff
/// (LAMMPS `pair_style lj/cut` with `pair_modify shift`). Pairs without parameters mix ε, σ and the
/// cutoff geometrically (LAMMPS's default `pair_modify mix geometric`).
public struct LennardJones: ScratchOwningPotential, LocalEnergy {
    public struct PairParameters: Sendable, Equatable {
        public var species: (String, String)
        public var epsilon: Double   // eV
        public var sigma: Double     // Å
        public var cutoff: Double?   // Å; nil = the global cutoff
        public init(_ a: String, _ b: String, epsilon: Double, sigma: Double, cutoff: Double? = nil) {
            species = (a, b); self.epsilon = epsilon; self.sigma = sigma; self.cutoff = cutoff
        }
        public static func == (l: Self, r: Self) -> Bool {
            l.species == r.species && l.epsilon == r.epsilon && l.sigma == r.sigma && l.cutoff == r.cutoff
        }
    }

    public let name: String
    public let cutoff: Double
    /// Tables over (species i, species j) of the configuration, row-major, typeCount².
    let typeCount: Int
    let cutSquared: [Double]
    let lj1: [Double]    // 48 ε σ¹²
    let lj2: [Double]    // 24 ε σ⁶
    let lj3: [Double]    // 4 ε σ¹²
    let lj4: [Double]    // 4 ε σ⁶
    let offset: [Double] // energy at the cutoff when shifted, else 0
    /// This copy's scratch memory (each evaluator holds its own copy of the potential).
    public var scratch = PairScratch()

    /// Binds parameters given by element symbol to the species indices of `speciesTable` (isotopes
    /// take their element's).
    public init(pairs: [PairParameters], cutoff globalCutoff: Double, shift: Bool, speciesTable: SpeciesTable) throws {
        let n = speciesTable.count
        var eps = [Double?](repeating: nil, count: n * n), sig = eps, cut = eps
        let elements = speciesTable.elements
        for pair in pairs {
            for a in 0..<n where elements[a] == pair.species.0 { for b in 0..<n where elements[b] == pair.species.1 {
            for (i, j) in [(a, b), (b, a)] {
                eps[i * n + j] = pair.epsilon
                sig[i * n + j] = pair.sigma
                cut[i * n + j] = pair.cutoff ?? globalCutoff
            }
            } }
        }
        for i in 0..<n { guard eps[i * n + i] != nil else {
            throw InputError(file: "potential", key: "lj.pairs", "no Lennard-Jones parameters for \(speciesTable.symbols[i])-\(speciesTable.symbols[i])")
        } }
        for i in 0..<n { for j in 0..<n where eps[i * n + j] == nil {
            eps[i * n + j] = (eps[i * n + i]! * eps[j * n + j]!).squareRoot()
            sig[i * n + j] = (sig[i * n + i]! * sig[j * n + j]!).squareRoot()
            cut[i * n + j] = (cut[i * n + i]! * cut[j * n + j]!).squareRoot()
        } }
        typeCount = n
        var c2 = [Double](), l1 = [Double](), l2 = [Double](), l3 = [Double](), l4 = [Double](), off = [Double]()
        for k in 0..<(n * n) {
            let e = eps[k]!, s = sig[k]!, rc = cut[k]!
            let s6 = s * s * s * s * s * s
            c2.append(rc * rc)
            l1.append(48 * e * s6 * s6); l2.append(24 * e * s6)
            l3.append(4 * e * s6 * s6); l4.append(4 * e * s6)
            let ratio6 = s6 / (rc * rc * rc * rc * rc * rc)
            off.append(shift ? 4 * e * (ratio6 * ratio6 - ratio6) : 0)
        }
        cutSquared = c2; lj1 = l1; lj2 = l2; lj3 = l3; lj4 = l4; offset = off
        cutoff = cut.compactMap { $0 }.max() ?? globalCutoff
        name = "lj"
    }
}
