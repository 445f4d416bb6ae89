/// The number of solid-like atoms, PLUMED's construction: per atom the bond-order vector
/// q_lm(i) = Σ_j w_ij Y_lm(d̂_ij) / Σ_j w_ij, its local average over the atom and its neighbours
/// q̄_lm(i) = (q_lm(i) + Σ_j w_ij q_lm(j)) / (1 + Σ_j w_ij) (Lechner and Dellago, J. Chem. Phys. 129,
/// 114707 (2008), with the smooth weights), q̄_l(i) = √(4π/(2l+1) Σ_m q̄_lm(i)²) in Steinhardt's
/// normalisation, and n = Σ_i [1 − s(q̄_l(i))] with PLUMED's rational switch s ("more than" the
/// threshold). Only selected atoms are centres and neighbours (one sublattice of a compound).
/// Tribello et al., PLUMED's crystallization module; Steinhardt et al., PRB 28, 784 (1983).
public struct SolidLikeCount: CollectiveVariable {
    public let name: String
    public let degree: Int
    public let weight: CosineSwitch
    public let threshold: RationalSwitch
    public var cutoff: Double { weight.outer }
    public let selected: [Bool]
    let harmonics: SphericalHarmonics

    private var bonds = BondList()
    private var bondWeight: [Double] = [], bondSlope: [Double] = []
    private var weightSum: [Double] = []     // Σ_j w_ij per atom
    private var q: [Double] = []             // q_lm per atom, width per atom
    private var averaged: [Double] = []      // q̄_lm per atom, then ∂n/∂q̄_lm
    private var adjoint: [Double] = []       // ∂n/∂q_lm per atom
    private var bondAdjoint: [Double] = []   // ∂n/∂w_b through the explicit weights of the averages
    private var ylm: [Double] = [], gradients: [Double] = []
    private var scratch = SphericalHarmonics.Scratch()

    public init(name: String = "n_solid", degree: Int = 6, weight: CosineSwitch, threshold: RationalSwitch, selected: [Bool]) {
        precondition(degree >= 0 && degree % 2 == 0, "bond-order parameters of odd degree vanish for bonds counted both ways")
        self.name = name
        self.degree = degree
        self.weight = weight
        self.threshold = threshold
        self.selected = selected
        harmonics = SphericalHarmonics(maxDegree: degree)
    }

    public mutating func evaluate(_ configuration: Configuration, neighbors: NeighborList) -> Double {
        bonds.collect(neighbors, cutoff: cutoff, selected: selected)
        let n = configuration.count, l = degree, width = 2 * l + 1, offset = l * l
        if ylm.count != harmonics.count { ylm = [Double](repeating: 0, count: harmonics.count); gradients = [Double](repeating: 0, count: 3 * harmonics.count) }
        weightSum = [Double](repeating: 0, count: n)
        q = [Double](repeating: 0, count: n * width)
        bondWeight = [Double](repeating: 0, count: bonds.count)
        bondSlope = bondWeight
        // q_lm(i): Y_lm(−d) = Y_lm(d) for even l, so a bond adds the same to both ends.
        for b in 0..<bonds.count {
            let dx = bonds.separation[3 * b], dy = bonds.separation[3 * b + 1], dz = bonds.separation[3 * b + 2]
            let (w, slope) = weight((dx * dx + dy * dy + dz * dz).squareRoot())
            bondWeight[b] = w; bondSlope[b] = slope
            guard w > 0 else { continue }
            ylm.withUnsafeMutableBufferPointer { harmonics.evaluate(dx, dy, dz, values: $0.baseAddress!, gradients: nil, scratch: &scratch, lowest: degree) }
            let i = Int(bonds.first[b]), j = Int(bonds.second[b])
            weightSum[i] += w; weightSum[j] += w
            for m in 0..<width { q[i * width + m] += w * ylm[offset + m]; q[j * width + m] += w * ylm[offset + m] }
        }
        for i in 0..<n where weightSum[i] > 0 { for m in 0..<width { q[i * width + m] /= weightSum[i] } }
        // q̄_lm(i) = (q(i) + Σ_j w_ij q(j)) / (1 + Σ_j w_ij).
        averaged = q
        for b in 0..<bonds.count where bondWeight[b] > 0 {
            let i = Int(bonds.first[b]), j = Int(bonds.second[b]), w = bondWeight[b]
            for m in 0..<width { averaged[i * width + m] += w * q[j * width + m]; averaged[j * width + m] += w * q[i * width + m] }
        }
        var count = 0.0
        let norm = 4 * Double.pi / Double(width)
        for i in 0..<n where selected[Int(configuration.species[i])] {
            var sum = 0.0
            for m in 0..<width { averaged[i * width + m] /= 1 + weightSum[i]; sum += averaged[i * width + m] * averaged[i * width + m] }
            let qbar = (norm * sum).squareRoot()
            let (s, slope) = threshold.moreThan(qbar)
            count += s
            // From here on `averaged` holds ∂n/∂q̄_lm(i) = s′ (4π/(2l+1)) q̄_lm / q̄.
            let factor = qbar > 0 ? slope * norm / qbar : 0
            for m in 0..<width { averaged[i * width + m] *= factor }
        }
        // Adjoints: ∂n/∂q(k) = g(k)/(1+Σw_k) + Σ_i w_ik g(i)/(1+Σw_i); ∂n/∂w_ij (explicit) =
        // g(i)·(q(j) − q̄(i))/(1+Σw_i) + g(j)·(q(i) − q̄(j))/(1+Σw_j), with q̄ recomputed from g's definition.
        adjoint = [Double](repeating: 0, count: n * width)
        for i in 0..<n { for m in 0..<width { adjoint[i * width + m] = averaged[i * width + m] / (1 + weightSum[i]) } }
        bondAdjoint = [Double](repeating: 0, count: bonds.count)
        let qbarValues = localAverages(n: n, width: width)
        for b in 0..<bonds.count where bondWeight[b] > 0 {
            let i = Int(bonds.first[b]), j = Int(bonds.second[b]), w = bondWeight[b]
            var explicit = 0.0
            for m in 0..<width {
                let gi = averaged[i * width + m] / (1 + weightSum[i]), gj = averaged[j * width + m] / (1 + weightSum[j])
                adjoint[j * width + m] += w * gi
                adjoint[i * width + m] += w * gj
                explicit += gi * (q[j * width + m] - qbarValues[i * width + m]) + gj * (q[i * width + m] - qbarValues[j * width + m])
            }
            bondAdjoint[b] = explicit
        }
        return count
    }

    /// q̄_lm of every atom (recomputed: `averaged` was turned into the adjoint).
    func localAverages(n: Int, width: Int) -> [Double] {
        var result = q
        for b in 0..<bonds.count where bondWeight[b] > 0 {
            let i = Int(bonds.first[b]), j = Int(bonds.second[b]), w = bondWeight[b]
            for m in 0..<width { result[i * width + m] += w * q[j * width + m]; result[j * width + m] += w * q[i * width + m] }
        }
        for i in 0..<n { for m in 0..<width { result[i * width + m] /= 1 + weightSum[i] } }
        return result
    }

    /// Per bond: Σ_m a_m(i) ∂q_m(i)/∂d + a_m(j) ∂q_m(j)/∂d + (∂n/∂w) w′ d̂, where
    /// ∂q_m(k)/∂d = [w′ d̂ (Y_m − q_m(k)) + w ∇Y_m] / Σw_k for both ends k (even l).
    public func addGradient(weight scale: Double, forces: inout [Double], virial: inout [Double]) {
        var ylm = self.ylm, gradients = self.gradients, scratch = self.scratch
        let l = degree, width = 2 * l + 1, offset = l * l
        for b in 0..<bonds.count {
            let w = bondWeight[b], slope = bondSlope[b]
            guard w > 0 || slope != 0 else { continue }
            let dx = bonds.separation[3 * b], dy = bonds.separation[3 * b + 1], dz = bonds.separation[3 * b + 2]
            let r = (dx * dx + dy * dy + dz * dz).squareRoot()
            ylm.withUnsafeMutableBufferPointer { y in
                gradients.withUnsafeMutableBufferPointer { g in
                    harmonics.evaluate(dx, dy, dz, values: y.baseAddress!, gradients: g.baseAddress!, scratch: &scratch, lowest: degree)
                }
            }
            let i = Int(bonds.first[b]), j = Int(bonds.second[b])
            var radial = bondAdjoint[b], gx = 0.0, gy = 0.0, gz = 0.0
            for (k, sum) in [(i, weightSum[i]), (j, weightSum[j])] where sum > 0 {
                for m in 0..<width {
                    let a = adjoint[k * width + m] / sum, h = offset + m
                    radial += a * (ylm[h] - q[k * width + m])
                    gx += a * gradients[3 * h]; gy += a * gradients[3 * h + 1]; gz += a * gradients[3 * h + 2]
                }
            }
            let along = slope * radial / r
            addBondGradient((along * dx + w * gx, along * dy + w * gy, along * dz + w * gz), bond: b, bonds: bonds,
                            weight: scale, forces: &forces, virial: &virial)
        }
    }
}
