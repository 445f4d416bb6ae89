/// Dense gradients of per-atom features, featomic's layout: one gradient sample per (centre, atom)
/// the centre's features depend on (itself and each distinct neighbour, atoms in increasing order),
/// `positions` [sample][α][feature] = ∂f_centre/∂x_atom,α, and per centre the strain gradient
/// `strain` [centre][α][β][feature] = Σ_p r_p,α ∂f_centre/∂r_p,β (when asked for).
/// For descriptor output and training; models never form these (they back-propagate instead).
public struct DenseGradients: Sendable {
    public var samples: [(center: Int, atom: Int)] = []
    public var positions: [Double] = []
    public var strain: [Double] = []

    /// Assembles the gradients from ∂f_i/∂r_p of each pair p of each row (`pairDerivative(i, p, &d)`
    /// writes 3 × featureCount values, α-major): atom j of the pair gets +d, the centre −d.
    public init(rows: PairRows, featureCount f: Int, strain wantStrain: Bool = true,
                pairDerivative: (Int, Int, inout [Double]) -> Void) {
        if wantStrain { strain = [Double](repeating: 0, count: rows.atomCount * 9 * f) }
        var d = [Double](repeating: 0, count: 3 * f)
        var slot = [Int](repeating: -1, count: rows.atomCount)   // atom → its sample within the centre
        for i in 0..<rows.atomCount {
            let range = Int(rows.start[i])..<Int(rows.start[i + 1])
            let atoms = Set(range.map { Int(rows.neighbor[$0]) }).union([i]).sorted()
            let first = samples.count
            for (k, atom) in atoms.enumerated() { slot[atom] = first + k; samples.append((i, atom)) }
            positions += [Double](repeating: 0, count: atoms.count * 3 * f)
            positions.withUnsafeMutableBufferPointer { out in
                let centre = out.baseAddress! + slot[i] * 3 * f
                for p in range {
                    pairDerivative(i, p, &d)
                    let target = out.baseAddress! + slot[Int(rows.neighbor[p])] * 3 * f
                    for q in 0..<(3 * f) { target[q] += d[q]; centre[q] -= d[q] }
                    guard wantStrain else { continue }
                    for a in 0..<3 {
                        let r = rows.vectors[3 * p + a]
                        for b in 0..<3 {
                            let base = ((i * 3 + a) * 3 + b) * f
                            for q in 0..<f { strain[base + q] += r * d[b * f + q] }
                        }
                    }
                }
            }
            for atom in atoms { slot[atom] = -1 }
        }
    }
}
