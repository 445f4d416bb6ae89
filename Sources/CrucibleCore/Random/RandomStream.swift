/// A reproducible random stream (xoshiro256**) whose whole state is four words, so it can be
/// saved and restored exactly. Each replica and each stochastic component owns its own stream.
public struct RandomStream: RandomNumberGenerator, Equatable, Sendable {
    // Four scalars rather than an array: the thermostats draw a normal deviate per degree of
    // freedom per step (P × 3N for ring polymers), and an array's uniqueness check on every write
    // showed in profiles.
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    /// The four words of the xoshiro256** state (for checkpoints).
    public var state: [UInt64] { [s0, s1, s2, s3] }
    /// Second normal deviate of the last Box–Muller pair, if unused (part of the state).
    public private(set) var spareNormal: Double?

    /// Seeds the four words with SplitMix64 from (seed, stream), so distinct streams of one seed are independent.
    public init(seed: UInt64, stream: UInt64 = 0) {
        var x = seed &+ 0x9E37_79B9_7F4A_7C15 &* (stream &+ 1)
        var words: [UInt64] = []
        for _ in 0..<4 {
            x = x &+ 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            words.append(z ^ (z >> 31))
        }
        (s0, s1, s2, s3) = (words[0], words[1], words[2], words[3])
    }

    public init(state: [UInt64], spareNormal: Double?) {
        precondition(state.count == 4)
        (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3])
        self.spareNormal = spareNormal
    }

    @inline(__always) static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    public mutating func next() -> UInt64 {
        let result = RandomStream.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = RandomStream.rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal deviate (polar Box–Muller; deterministic given the state).
    public mutating func normal() -> Double {
        if let spare = spareNormal { spareNormal = nil; return spare }
        while true {
            let u = 2 * uniform() - 1, v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let f = (-2 * _log(s) / s).squareRoot()
                spareNormal = v * f
                return u * f
            }
        }
    }

    /// Gamma(shape, 1) deviate, Marsaglia–Tsang; shape > 0.
    public mutating func gamma(shape: Double) -> Double {
        if shape < 1 {
            let g = gamma(shape: shape + 1)
            return g * _pow(uniform(), 1 / shape)
        }
        let d = shape - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat { x = normal(); v = 1 + c * x } while v <= 0
            v = v * v * v
            let u = uniform()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if _log(u) < 0.5 * x * x + d * (1 - v + _log(v)) { return d * v }
        }
    }
}
