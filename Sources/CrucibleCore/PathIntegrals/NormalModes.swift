import COpenBLAS

/// The real orthogonal normal-mode transform of a ring of P beads (the convention of i-PI and of
/// Ceriotti et al., JCP 133, 124104 (2010)): mode 0 is the centroid (times √P), modes 1…P/2−1 the
/// cosine modes, mode P/2 (P even) the alternating mode, modes above P/2 the sine modes.
///   q_j = Σ_k C[j][k] Q_k,   Q_k = Σ_j C[j][k] q_j,
/// and the free ring polymer Σ_j ½ m ω_P² |q_j − q_{j+1}|² = Σ_k ½ m ω_k² |Q_k|² with
/// ω_k = 2 ω_P sin(kπ/P).
public struct NormalModes: Sendable, Equatable {
    public let beads: Int
    /// C[j][k], row-major (bead j, mode k).
    public let matrix: [Double]
    /// ω_k / ω_P = 2 sin(kπ/P) for every mode k (0 for the centroid).
    public let frequencyFactors: [Double]

    /// Crucible runs its own threads over replicas, beads and atoms; OpenBLAS's threads would compete
    /// with them (32 beads × 108 LJ atoms ran 2.9× slower with OpenBLAS's default threads, most of it
    /// spinning in the kernel), so BLAS runs on the calling thread.
    private static let singleThreadedBLAS: Void = { openblas_set_num_threads(1) }()

    public init(beads: Int) {
        precondition(beads >= 1)
        _ = Self.singleThreadedBLAS
        self.beads = beads
        let p = Double(beads)
        var c = [Double](repeating: 0, count: beads * beads)
        for j in 0..<beads {
            for k in 0..<beads {
                let angle = 2 * Double.pi * Double(j * k) / p
                let value: Double
                if k == 0 {
                    value = 1 / p.squareRoot()
                } else if 2 * k < beads {
                    value = (2 / p).squareRoot() * _cos(angle)
                } else if 2 * k == beads {
                    value = (j % 2 == 0 ? 1 : -1) / p.squareRoot()
                } else {
                    value = (2 / p).squareRoot() * _sin(angle)
                }
                c[j * beads + k] = value
            }
        }
        matrix = c
        frequencyFactors = (0..<beads).map { 2 * _sin(Double($0) * Double.pi / p) }
    }

    /// modes (P × columns) = Cᵀ · beadValues (P × columns), both row-major.
    public func toModes(_ beadValues: UnsafePointer<Double>, _ modes: UnsafeMutablePointer<Double>, columns: Int) {
        multiply(transpose: true, beadValues, modes, columns: columns)
    }

    /// beadValues (P × columns) = C · modes (P × columns).
    public func toBeads(_ modes: UnsafePointer<Double>, _ beadValues: UnsafeMutablePointer<Double>, columns: Int) {
        multiply(transpose: false, modes, beadValues, columns: columns)
    }

    private func multiply(transpose: Bool, _ a: UnsafePointer<Double>, _ b: UnsafeMutablePointer<Double>, columns: Int) {
        matrix.withUnsafeBufferPointer { c in
            cblas_dgemm(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, CblasNoTrans,
                        Int32(beads), Int32(columns), Int32(beads), 1, c.baseAddress, Int32(beads),
                        a, Int32(columns), 0, b, Int32(columns))
        }
    }
}
