/// Standard normal deviates by the ziggurat method (Marsaglia & Tsang, J. Stat. Softw. 5(8), 2000),
/// in Doornik's form (ZIGNOR, 2005): 128 blocks of equal area under f(x) = exp(−x²/2), the block
/// index and the uniform taken from separate bits of one 64-bit draw. 98.8% of deviates cost one
/// xoshiro draw, a table look-up and a compare, with no logarithm and no spare value to carry.
///
/// Why a second normal generator: the ring-polymer thermostat draws P × 3N deviates every step, and
/// polar Box–Muller (`RandomStream.normal`) made that a third of the path-integral overhead. The
/// classical thermostats keep `normal()`, so their trajectories do not change.
public final class ZigguratNormal: @unchecked Sendable {
    static let blockCount = 128
    /// Where the tail begins, and the common area of the blocks (Doornik 2005, table 1).
    static let tailStart = 3.442619855899
    static let blockArea = 9.91256303526217e-3

    /// edges[i]: right edge of block i (edges[0] = area / f(R) for the base block, edges[1] = R,
    /// edges[128] = 0); innerFraction[i] = edges[i+1] / edges[i], the part of block i wholly under
    /// the curve. Immutable after init; raw storage so a draw has no bounds check or retain.
    let edges: UnsafeMutablePointer<Double>
    let innerFraction: UnsafeMutablePointer<Double>

    public static let shared = ZigguratNormal()

    private init() {
        let count = Self.blockCount, r = Self.tailStart
        edges = .allocate(capacity: count + 1)
        innerFraction = .allocate(capacity: count)
        var f = _exp(-0.5 * r * r)
        edges[0] = Self.blockArea / f
        edges[1] = r
        edges[count] = 0
        for i in 2..<count {
            edges[i] = (-2 * _log(Self.blockArea / edges[i - 1] + f)).squareRoot()
            f = _exp(-0.5 * edges[i] * edges[i])
        }
        for i in 0..<count { innerFraction[i] = edges[i + 1] / edges[i] }
    }

    deinit {
        edges.deallocate()
        innerFraction.deallocate()
    }

    /// One N(0, 1) deviate from `random`.
    @inline(__always)
    public func draw(_ random: inout RandomStream) -> Double {
        while true {
            let bits = random.next()
            // Top 53 bits as a signed number: u uniform in [−1, 1); low 7 bits (unused by u): the block.
            let u = Double(Int64(bitPattern: bits) >> 11) * 0x1.0p-52
            let i = Int(bits & 0x7F)
            if abs(u) < innerFraction[i] { return u * edges[i] }
            if i == 0 { return tail(negative: u < 0, &random) }
            // The wedge between the block's inner part and the curve: accept under f.
            let x = u * edges[i]
            let f0 = _exp(-0.5 * (edges[i] * edges[i] - x * x))
            let f1 = _exp(-0.5 * (edges[i + 1] * edges[i + 1] - x * x))
            if f1 + random.uniform() * (f0 - f1) < 1 { return x }
        }
    }

    /// Marsaglia's tail algorithm beyond R (1 − uniform lies in (0, 1], so the logarithms are finite).
    func tail(negative: Bool, _ random: inout RandomStream) -> Double {
        let r = Self.tailStart
        while true {
            let x = _log(1 - random.uniform()) / r
            let y = _log(1 - random.uniform())
            if -2 * y >= x * x { return negative ? x - r : r - x }
        }
    }
}
