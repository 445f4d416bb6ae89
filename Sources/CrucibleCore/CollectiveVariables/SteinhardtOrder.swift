/// Steinhardt's global bond-orientational order Q_l (l even, usually 6): the bond-averaged
/// spherical harmonics Q̄_lm = Σ_b w_b Y_lm(d̂_b) / Σ_b w_b over the bonds between selected atoms,
/// Q_l = √(4π/(2l+1) Σ_m Q̄_lm²), with a smooth cutoff w = `CosineSwitch` so forces are continuous.
/// Perfect fcc gives 0.5745, bcc (8 neighbours) 0.6285, a liquid about 1/√(bonds).
/// Steinhardt, Nelson, Ronchetti, Phys. Rev. B 28, 784 (1983).
public struct SteinhardtOrder: CollectiveVariable {
    public let name: String
    public var degree: Int { harmonics.degree }
    public let weight: CosineSwitch
    public var cutoff: Double { weight.outer }
    public let selected: [Bool]

    private var harmonics: BondHarmonics
    private var bonds = BondList()
    private var mean: [Double] = []          // Q̄_lm, m = −l…l
    private var weightSum = 0.0
    private var value = 0.0

    public init(name: String = "q6", degree: Int = 6, weight: CosineSwitch, selected: [Bool]) {
        self.name = name
        self.weight = weight
        self.selected = selected
        harmonics = BondHarmonics(degree: degree)
    }

    public mutating func evaluate(_ configuration: Configuration, neighbors: NeighborList) -> Double {
        bonds.collect(neighbors, cutoff: cutoff, selected: selected)
        let width = harmonics.width
        zero(&mean, count: width)
        weightSum = 0
        for b in 0..<bonds.count {
            let dx = bonds.separation[3 * b], dy = bonds.separation[3 * b + 1], dz = bonds.separation[3 * b + 2]
            let w = weight((dx * dx + dy * dy + dz * dz).squareRoot()).value
            guard w > 0 else { continue }
            harmonics.evaluate(dx, dy, dz, gradients: false)
            for m in 0..<width { mean[m] += w * harmonics.value(m) }
            weightSum += w
        }
        guard weightSum > 0 else { value = 0; return 0 }
        var norm2 = 0.0
        for m in 0..<width { mean[m] /= weightSum; norm2 += mean[m] * mean[m] }
        value = (4 * Double.pi / Double(width) * norm2).squareRoot()
        return value
    }

    /// ∂Q/∂d_b = (4π/(2l+1))/Q Σ_m Q̄_m [w′ d̂ (Y_m − Q̄_m) + w ∇Y_m] / Σw.
    public func addGradient(weight scale: Double, forces: inout [Double], virial: inout [Double]) {
        guard value > 0, weightSum > 0 else { return }
        var harmonics = self.harmonics
        let width = harmonics.width
        let prefactor = 4 * Double.pi / Double(width) / value / weightSum
        for b in 0..<bonds.count {
            let dx = bonds.separation[3 * b], dy = bonds.separation[3 * b + 1], dz = bonds.separation[3 * b + 2]
            let r = (dx * dx + dy * dy + dz * dz).squareRoot()
            let (w, slope) = weight(r)
            guard w > 0 || slope != 0 else { continue }
            harmonics.evaluate(dx, dy, dz, gradients: true)
            var radial = 0.0, gx = 0.0, gy = 0.0, gz = 0.0
            for m in 0..<width {
                let q = mean[m], g = harmonics.gradient(m)
                radial += q * (harmonics.value(m) - q)
                gx += q * g.0; gy += q * g.1; gz += q * g.2
            }
            let along = slope * radial / r
            let g = (prefactor * (along * dx + w * gx), prefactor * (along * dy + w * gy), prefactor * (along * dz + w * gz))
            addBondGradient(g, bond: b, bonds: bonds, weight: scale, forces: &forces, virial: &virial)
        }
    }
}
