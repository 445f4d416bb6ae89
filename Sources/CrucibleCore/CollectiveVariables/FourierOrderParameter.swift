/// Pedersen's crystalline order parameter: Q = (1/K) Σ_k |ρ_k|, ρ_k = (1/N) Σ_j exp(i k·x_j) over the
/// selected atoms, for K wave vectors k that are reciprocal-lattice vectors of the crystal *and* of
/// the simulation cell (so ρ_k is periodic): k = 2π Σ_c h_c b_c with integer h and b_c the cell's
/// reciprocal vectors. A perfect crystal gives 1 for every k of its reciprocal lattice, a liquid
/// about √(π S(k)/(4N)). |ρ_k| ignores where the crystal sits, so the solid may drift.
///
/// k · x = 2π h · s depends only on fractional coordinates, so Q does not change under a homogeneous
/// strain of cell and atoms: its virial is zero (the barostat feels no bias force).
/// Pedersen, J. Chem. Phys. 139, 104102 (2013).
public struct FourierOrderParameter: CollectiveVariable {
    public let name: String
    public var cutoff: Double { 0 }
    /// Wave vectors in units of the cell's reciprocal vectors (integers), 3 per vector.
    public let vectors: [[Int]]
    /// Species counted (by index of the species table).
    public let selected: [Bool]

    // Scratch of the last evaluation: per vector, Re and Im of ρ_k and |ρ_k|; per atom and vector,
    // cos and sin of k·x and the Cartesian k.
    private var phases: [Double] = []
    private var rho: [Double] = []
    private var waves: [Double] = []
    private var atoms: [Int32] = []
    private var atomsBuiltFor: [Int32] = []

    public init(name: String = "fourier", vectors: [[Int]], selected: [Bool]) {
        precondition(!vectors.isEmpty && vectors.allSatisfy { $0.count == 3 && $0 != [0, 0, 0] })
        self.name = name
        self.vectors = vectors
        self.selected = selected
    }

    public mutating func evaluate(_ configuration: Configuration, neighbors: NeighborList) -> Double {
        let inverse = configuration.cell.inverse
        let K = vectors.count
        if waves.count != 3 * K { waves = [Double](repeating: 0, count: 3 * K); rho = waves }
        for (v, h) in vectors.enumerated() {
            for a in 0..<3 {
                waves[3 * v + a] = 2 * Double.pi * (inverse[3 * a] * Double(h[0]) + inverse[3 * a + 1] * Double(h[1]) + inverse[3 * a + 2] * Double(h[2]))
            }
        }
        // The selected atoms (kept while the species do not change).
        let n = configuration.count
        if atomsBuiltFor != configuration.species {
            atoms.removeAll(keepingCapacity: true)
            for i in 0..<n where selected[Int(configuration.species[i])] { atoms.append(Int32(i)) }
            atomsBuiltFor = configuration.species
        }
        let count = atoms.count
        if phases.count != 2 * K * count { phases = [Double](repeating: 0, count: 2 * K * count) }
        guard count > 0 else { for k in rho.indices { rho[k] = 0 }; return 0 }
        var total = 0.0
        configuration.positions.withUnsafeBufferPointer { x in
            atoms.withUnsafeBufferPointer { atoms in
                phases.withUnsafeMutableBufferPointer { phases in
                    for v in 0..<K {
                        let kx = waves[3 * v], ky = waves[3 * v + 1], kz = waves[3 * v + 2]
                        var re = 0.0, im = 0.0
                        let base = 2 * v * count
                        for a in 0..<count {
                            let i = 3 * Int(atoms[a])
                            let phase = kx * x[i] + ky * x[i + 1] + kz * x[i + 2]
                            let c = _cos(phase), s = _sin(phase)
                            phases[base + 2 * a] = c; phases[base + 2 * a + 1] = s
                            re += c; im += s
                        }
                        re /= Double(count); im /= Double(count)
                        let modulus = (re * re + im * im).squareRoot()
                        rho[3 * v] = re; rho[3 * v + 1] = im; rho[3 * v + 2] = modulus
                        total += modulus
                    }
                }
            }
        }
        return total / Double(K)
    }

    /// ∂|ρ_k|/∂x_j = (Im ρ_k cos(k·x_j) − Re ρ_k sin(k·x_j)) k / (N |ρ_k|); the virial is zero (see above).
    public func addGradient(weight: Double, forces: inout [Double], virial: inout [Double]) {
        let K = vectors.count, n = atoms.count
        guard n > 0 else { return }
        forces.withUnsafeMutableBufferPointer { f in
            for v in 0..<K {
                let re = rho[3 * v], im = rho[3 * v + 1], modulus = rho[3 * v + 2]
                guard modulus > 0 else { continue }
                let scale = weight / (Double(K) * Double(n) * modulus)
                let kx = waves[3 * v], ky = waves[3 * v + 1], kz = waves[3 * v + 2]
                let base = 2 * v * n
                for a in 0..<n {
                    let i = 3 * Int(atoms[a])
                    let g = scale * (im * phases[base + 2 * a] - re * phases[base + 2 * a + 1])
                    f[i] += g * kx; f[i + 1] += g * ky; f[i + 2] += g * kz
                }
            }
        }
    }
}
