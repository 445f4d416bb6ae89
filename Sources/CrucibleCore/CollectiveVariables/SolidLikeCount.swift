/// The number of solid-like atoms, PLUMED's construction: per atom the bond-order vector
/// q_lm(i) = Σ_j w_ij Y_lm(d̂_ij) / Σ_j w_ij, its local average over the atom and its neighbours
/// q̄_lm(i) = (q_lm(i) + Σ_j w_ij q_lm(j)) / (1 + Σ_j w_ij) (Lechner and Dellago, J. Chem. Phys. 129,
/// 114707 (2008), with the smooth weights), q̄_l(i) = √(4π/(2l+1) Σ_m q̄_lm(i)²) in Steinhardt's
/// normalisation, and n = Σ_i [1 − s(q̄_l(i))] with PLUMED's rational switch s ("more than" the
/// threshold). Only selected atoms are centres and neighbours (one sublattice of a compound).
/// Tribello et al., PLUMED's crystallization module; Steinhardt et al., PRB 28, 784 (1983).
public struct SolidLikeCount: CollectiveVariable {
    public let name: String
    public var degree: Int { harmonics.degree }
    public let weight: CosineSwitch
    public let threshold: RationalSwitch
    public var cutoff: Double { weight.outer }
    public let selected: [Bool]

    private var harmonics: BondHarmonics
    private var bonds = BondList()
    private var bondWeight: [Double] = [], bondSlope: [Double] = []
    private var weightSum: [Double] = []     // W_i = Σ_j w_ij per atom
    private var q: [Double] = []             // q_lm per atom, width per atom
    /// q̄_lm per atom, width per atom (the locally averaged vectors).
    private(set) var localAverageVectors: [Double] = []
    private var pull: [Double] = []          // ∂n/∂q̄_lm(i) / (1 + W_i) per atom
    private var adjoint: [Double] = []       // ∂n/∂q_lm per atom
    private var bondAdjoint: [Double] = []   // ∂n/∂w_b through the explicit weights of the averages

    public init(name: String = "n_solid", degree: Int = 6, weight: CosineSwitch, threshold: RationalSwitch, selected: [Bool]) {
        self.name = name
        self.weight = weight
        self.threshold = threshold
        self.selected = selected
        harmonics = BondHarmonics(degree: degree)
    }

    public mutating func evaluate(_ configuration: Configuration, neighbors: NeighborList) -> Double {
        bonds.collect(neighbors, cutoff: cutoff, selected: selected)
        let n = configuration.count, width = harmonics.width
        zero(&weightSum, count: n)
        zero(&q, count: n * width)
        zero(&bondWeight, count: bonds.count)
        zero(&bondSlope, count: bonds.count)
        // q_lm(i): Y_lm(−d) = Y_lm(d) for even l, so a bond adds the same to both ends.
        for b in 0..<bonds.count {
            let dx = bonds.separation[3 * b], dy = bonds.separation[3 * b + 1], dz = bonds.separation[3 * b + 2]
            let (w, slope) = weight((dx * dx + dy * dy + dz * dz).squareRoot())
            bondWeight[b] = w; bondSlope[b] = slope
            guard w > 0 else { continue }
            harmonics.evaluate(dx, dy, dz, gradients: false)
            let i = Int(bonds.first[b]), j = Int(bonds.second[b])
            weightSum[i] += w; weightSum[j] += w
            for m in 0..<width {
                let y = w * harmonics.value(m)
                q[i * width + m] += y; q[j * width + m] += y
            }
        }
        for i in 0..<n where weightSum[i] > 0 { for m in 0..<width { q[i * width + m] /= weightSum[i] } }
        // q̄_lm(i) = (q(i) + Σ_j w_ij q(j)) / (1 + W_i).
        localAverageVectors = q
        for b in 0..<bonds.count where bondWeight[b] > 0 {
            let i = Int(bonds.first[b]), j = Int(bonds.second[b]), w = bondWeight[b]
            for m in 0..<width {
                localAverageVectors[i * width + m] += w * q[j * width + m]
                localAverageVectors[j * width + m] += w * q[i * width + m]
            }
        }
        for i in 0..<n { for m in 0..<width { localAverageVectors[i * width + m] /= 1 + weightSum[i] } }
        // n, and the pull of each average: ∂n/∂q̄_lm(i) = s′ (4π/(2l+1)) q̄_lm / q̄, over 1 + W_i.
        var count = 0.0
        let norm = 4 * Double.pi / Double(width)
        zero(&pull, count: n * width)
        for i in 0..<n where selected[Int(configuration.species[i])] {
            var sum = 0.0
            for m in 0..<width { sum += localAverageVectors[i * width + m] * localAverageVectors[i * width + m] }
            let qbar = (norm * sum).squareRoot()
            let (s, slope) = threshold.moreThan(qbar)
            count += s
            let factor = qbar > 0 ? slope * norm / qbar / (1 + weightSum[i]) : 0
            for m in 0..<width { pull[i * width + m] = factor * localAverageVectors[i * width + m] }
        }
        // Adjoints: ∂n/∂q(k) = pull(k) + Σ_i w_ik pull(i); ∂n/∂w_ij (explicit) =
        // pull(i)·(q(j) − q̄(i)) + pull(j)·(q(i) − q̄(j)).
        adjoint = pull
        zero(&bondAdjoint, count: bonds.count)
        for b in 0..<bonds.count where bondWeight[b] > 0 {
            let i = Int(bonds.first[b]), j = Int(bonds.second[b]), w = bondWeight[b]
            var explicit = 0.0
            for m in 0..<width {
                let pi = pull[i * width + m], pj = pull[j * width + m]
                adjoint[j * width + m] += w * pi
                adjoint[i * width + m] += w * pj
                explicit += pi * (q[j * width + m] - localAverageVectors[i * width + m]) + pj * (q[i * width + m] - localAverageVectors[j * width + m])
            }
            bondAdjoint[b] = explicit
        }
        return count
    }

    /// Per bond: Σ_m a_m(i) ∂q_m(i)/∂d + a_m(j) ∂q_m(j)/∂d + (∂n/∂w) w′ d̂, where
    /// ∂q_m(k)/∂d = [w′ d̂ (Y_m − q_m(k)) + w ∇Y_m] / W_k for both ends k (even l).
    public func addGradient(weight scale: Double, forces: inout [Double], virial: inout [Double]) {
        var harmonics = self.harmonics
        let width = harmonics.width
        for b in 0..<bonds.count {
            let w = bondWeight[b], slope = bondSlope[b]
            guard w > 0 || slope != 0 else { continue }
            let dx = bonds.separation[3 * b], dy = bonds.separation[3 * b + 1], dz = bonds.separation[3 * b + 2]
            let r = (dx * dx + dy * dy + dz * dz).squareRoot()
            harmonics.evaluate(dx, dy, dz, gradients: true)
            var radial = bondAdjoint[b], gx = 0.0, gy = 0.0, gz = 0.0
            for end in 0..<2 {
                let k = Int(end == 0 ? bonds.first[b] : bonds.second[b])
                let sum = weightSum[k]
                guard sum > 0 else { continue }
                for m in 0..<width {
                    let a = adjoint[k * width + m] / sum, g = harmonics.gradient(m)
                    radial += a * (harmonics.value(m) - q[k * width + m])
                    gx += a * g.0; gy += a * g.1; gz += a * g.2
                }
            }
            let along = slope * radial / r
            addBondGradient((along * dx + w * gx, along * dy + w * gy, along * dz + w * gz), bond: b, bonds: bonds,
                            weight: scale, forces: &forces, virial: &virial)
        }
    }
}
