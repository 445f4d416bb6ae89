import CFFTW
import Dispatch

/// The real orthogonal normal-mode transform of a ring of P beads (the convention of i-PI and of
/// Ceriotti et al., JCP 133, 124104 (2010)): mode 0 is the centroid (times √P), modes 1…P/2−1 the
/// cosine modes, mode P/2 (P even) the alternating mode, modes above P/2 the sine modes.
///   q_j = Σ_k C[j][k] Q_k,   Q_k = Σ_j C[j][k] q_j,
/// and the free ring polymer Σ_j ½ m ω_P² |q_j − q_{j+1}|² = Σ_k ½ m ω_k² |Q_k|² with
/// ω_k = 2 ω_P sin(kπ/P).
///
/// The transform is a real FFT: FFTW's half-complex output R_k of the beads' values is, in this
/// ordering, the mode itself up to a factor, Q_k = a_k R_k with a_k = 1/√P for k = 0 and k = P/2
/// and √(2/P) otherwise; FFTW's inverse takes h_k = Q_k b_k with b_k = 1/√P and 1/√(2P), and
/// a_k b_k = 1/P for every k. `toModes`/`toBeads` return and take the unscaled R and h; callers
/// fold a_k and b_k into their own per-mode coefficients (no extra pass over the data).
public struct NormalModes: Sendable, Equatable {
    public let beads: Int
    /// C[j][k], row-major (bead j, mode k), for tests and reference.
    public let matrix: [Double]
    /// ω_k / ω_P = 2 sin(kπ/P) for every mode k (0 for the centroid).
    public let frequencyFactors: [Double]
    /// Q_k = forwardScale[k] · R_k (R: FFTW's half-complex transform of the beads' values).
    public let forwardScale: [Double]
    /// h_k = inverseScale[k] · Q_k (h: what FFTW's inverse half-complex transform takes).
    public let inverseScale: [Double]

    public init(beads: Int) {
        precondition(beads >= 1)
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
        let single = { (k: Int) in k == 0 || 2 * k == beads }
        forwardScale = (0..<beads).map { single($0) ? 1 / p.squareRoot() : (2 / p).squareRoot() }
        inverseScale = (0..<beads).map { single($0) ? 1 / p.squareRoot() : 1 / (2 * p).squareRoot() }
    }

    public static func == (a: NormalModes, b: NormalModes) -> Bool { a.beads == b.beads }
}

/// FFTW plans of the transforms of one replica's P × columns matrices (row j: bead j's values), made
/// once for a size and reused with `fftw_execute_r2r` on any arrays of that shape. The columns are
/// cut into `blockCount` fixed blocks with a plan each, so the transforms run in parallel on the
/// workers while every column goes through the same plan whatever the thread count.
final class NormalModePlans: @unchecked Sendable {
    static let blockCount = 4
    let beads: Int, columns: Int
    /// First column of each block, and one past the last.
    private let bounds: [Int]
    /// nil for an empty block (fewer columns than blocks).
    private let forward: [OpaquePointer?], inverse: [OpaquePointer?]

    /// FFTW's planner is not thread-safe: every plan is made and destroyed on this queue.
    private static let planning = DispatchQueue(label: "crucible.fftw-planning")

    init(beads: Int, columns: Int) {
        self.beads = beads
        self.columns = columns
        let bounds = (0...Self.blockCount).map { columns * $0 / Self.blockCount }
        self.bounds = bounds
        (forward, inverse) = Self.planning.sync {
            var input = [Double](repeating: 0, count: beads * columns), output = input
            func plan(_ kind: fftw_r2r_kind, width: Int) -> OpaquePointer? {
                guard width > 0 else { return nil }
                var n = Int32(beads), kinds = [kind]
                return fftw_plan_many_r2r(1, &n, Int32(width), &input, nil, Int32(columns), 1, &output, nil, Int32(columns), 1,
                                          &kinds, crucible_fftw_estimate_unaligned())!
            }
            let widths = (0..<Self.blockCount).map { bounds[$0 + 1] - bounds[$0] }
            return (widths.map { plan(FFTW_R2HC, width: $0) }, widths.map { plan(FFTW_HC2R, width: $0) })
        }
    }

    deinit {
        Self.planning.sync {
            for case let plan? in forward + inverse { fftw_destroy_plan(plan) }
        }
    }

    /// modes (unscaled half-complex R) of beadValues; both P × columns, row-major.
    func toModes(_ beadValues: UnsafeMutablePointer<Double>, _ modes: UnsafeMutablePointer<Double>, workers: Workers = .serial) {
        workers.forEach(Self.blockCount) { b in
            guard let plan = forward[b] else { return }
            fftw_execute_r2r(plan, beadValues + bounds[b], modes + bounds[b])
        }
    }

    /// beadValues of modes given as h (see `NormalModes`). FFTW's inverse overwrites its input.
    func toBeads(_ modes: UnsafeMutablePointer<Double>, _ beadValues: UnsafeMutablePointer<Double>, workers: Workers = .serial) {
        workers.forEach(Self.blockCount) { b in
            guard let plan = inverse[b] else { return }
            fftw_execute_r2r(plan, modes + bounds[b], beadValues + bounds[b])
        }
    }
}
