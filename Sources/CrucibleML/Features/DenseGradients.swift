/// Dense gradients of per-atom features, featomic's layout: one gradient sample per (centre, atom)
/// the centre's features depend on (itself and each distinct neighbour, atoms in increasing order),
/// `positions` [sample][α][feature] = ∂f_centre/∂x_atom,α, and per centre the strain gradient
/// `strain` [centre][α][β][feature] = Σ_p r_p,α ∂f_centre/∂r_p,β.
/// For descriptor output; models never form these (they back-propagate instead).
public struct DenseGradients: Sendable {
    public var samples: [(center: Int, atom: Int)] = []
    public var positions: [Double] = []
    public var strain: [Double] = []

    /// Assembles the gradients from ∂f_i/∂r_p of each pair p of each row (`pairDerivative(i, p, &d)`
    /// writes 3 × featureCount values, α-major): atom j of the pair gets +d, the centre −d.
    public init(rows: PairRows, featureCount f: Int, pairDerivative: (Int, Int, inout [Double]) -> Void) {
        strain = [Double](repeating: 0, count: rows.atomCount * 9 * f)
        var d = [Double](repeating: 0, count: 3 * f)
        for i in 0..<rows.atomCount {
            let range = Int(rows.start[i])..<Int(rows.start[i + 1])
            let atoms = Set(range.map { Int(rows.neighbor[$0]) }).union([i]).sorted()
            var byAtom = [Int: [Double]]()
            for atom in atoms { byAtom[atom] = [Double](repeating: 0, count: 3 * f) }
            for p in range {
                pairDerivative(i, p, &d)
                let j = Int(rows.neighbor[p])
                for q in 0..<(3 * f) { byAtom[j]![q] += d[q]; byAtom[i]![q] -= d[q] }
                for a in 0..<3 {
                    let r = rows.vectors[3 * p + a]
                    for b in 0..<3 {
                        let base = ((i * 3 + a) * 3 + b) * f
                        for q in 0..<f { strain[base + q] += r * d[b * f + q] }
                    }
                }
            }
            for atom in atoms { samples.append((i, atom)); positions += byAtom[atom]! }
        }
    }
}
