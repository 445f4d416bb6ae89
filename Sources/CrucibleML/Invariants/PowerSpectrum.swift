import CrucibleCore

/// The ν = 2 invariants (power spectrum) of a spherical expansion, per centre:
///
///   p_i[J1 J2][l][n1][n2] = s(J1, J2) (−1)^l / √(2l + 1) · Σ_m c_i[l][J1][n1][m] c_i[l][J2][n2][m],  J1 ≤ J2,
///
/// with s = √2 for J1 ≠ J2 (each unordered channel pair stands for both orders, so dot products of
/// feature vectors equal those of the full J1 × J2 set), as featomic's `SoapPowerSpectrum` (whose
/// (−1)^l/√(2l+1) is the Clebsch–Gordan coupling of two degree-l expansions to an invariant).
/// Property order: channel pairs (J1 major), then l, n1, n2.
public struct PowerSpectrum: Sendable {
    public let expansion: SphericalExpansion
    /// Start of each (J1 ≤ J2) pair's properties, in pair order; the l blocks follow inside.
    public let pairs: [(first: Int, second: Int)]
    public let degreeOffsets: [Int]
    public let featureCount: Int

    public init(expansion: SphericalExpansion) {
        self.expansion = expansion
        let channels = expansion.channels.channelCount
        var pairs: [(Int, Int)] = []
        for a in 0..<channels { for b in a..<channels { pairs.append((a, b)) } }
        self.pairs = pairs
        var offsets: [Int] = [], perPair = 0
        for n in expansion.settings.radialCounts { offsets.append(perPair); perPair += n * n }
        degreeOffsets = offsets
        featureCount = pairs.count * perPair
    }

    var perPair: Int { featureCount / max(1, pairs.count) }

    /// Property labels (first channel, second channel, l, n1, n2) in feature order.
    public var properties: [[Int]] {
        var labels: [[Int]] = []
        for (a, b) in pairs {
            for (l, n) in expansion.settings.radialCounts.enumerated() {
                for n1 in 0..<n { for n2 in 0..<n { labels.append([a, b, l, n1, n2]) } }
            }
        }
        return labels
    }

    @inline(__always) func scale(_ a: Int, _ b: Int, _ l: Int) -> Double {
        (a == b ? 1.0 : 2.0.squareRoot()) * (l % 2 == 0 ? 1.0 : -1.0) / Double(2 * l + 1).squareRoot()
    }

    /// Features of every centre (atomCount × featureCount) from its coefficients.
    public func features(coefficients: [Double], atomCount n: Int, workers: Workers, into features: inout [Double]) {
        if features.count != n * featureCount { features = [Double](repeating: 0, count: n * featureCount) }
        let size = expansion.coefficientCount
        coefficients.withUnsafeBufferPointer { cb in
            features.withUnsafeMutableBufferPointer { pb in
                SphericalExpansion.forEachBlock(of: n, workers: workers) { centres in
                    for i in centres { centerFeatures(cb.baseAddress! + i * size, into: pb.baseAddress! + i * featureCount) }
                }
            }
        }
    }

    /// One centre's features from its coefficients.
    @inline(__always)
    func centerFeatures(_ c: UnsafePointer<Double>, into p: UnsafeMutablePointer<Double>) {
        let counts = expansion.settings.radialCounts
        for (k, (a, b)) in pairs.enumerated() {
            for (l, nl) in counts.enumerated() {
                let width = 2 * l + 1, s = scale(a, b, l)
                let ca = c + expansion.blockOffsets[l] + a * nl * width
                let cbk = c + expansion.blockOffsets[l] + b * nl * width
                let out = p + k * perPair + degreeOffsets[l]
                for n1 in 0..<nl {
                    for n2 in 0..<nl {
                        var sum = 0.0
                        for m in 0..<width { sum += ca[n1 * width + m] * cbk[n2 * width + m] }
                        out[n1 * nl + n2] = s * sum
                    }
                }
            }
        }
    }

    /// ∂E/∂c (atomCount × coefficientCount, overwritten) from ∂E/∂p (atomCount × featureCount).
    public func coefficientGradients(featureGradients: [Double], coefficients: [Double], atomCount n: Int,
                                     workers: Workers, into gradients: inout [Double]) {
        let size = expansion.coefficientCount, counts = expansion.settings.radialCounts
        if gradients.count != n * size { gradients = [Double](repeating: 0, count: n * size) }
        coefficients.withUnsafeBufferPointer { cb in
            featureGradients.withUnsafeBufferPointer { gp in
                gradients.withUnsafeMutableBufferPointer { gb in
                    SphericalExpansion.forEachBlock(of: n, workers: workers) { centres in
                        for i in centres {
                            let c = cb.baseAddress! + i * size, g = gb.baseAddress! + i * size
                            let dp = gp.baseAddress! + i * featureCount
                            g.update(repeating: 0, count: size)
                            for (k, (a, b)) in pairs.enumerated() {
                                for (l, nl) in counts.enumerated() {
                                    let width = 2 * l + 1, s = scale(a, b, l)
                                    let offA = expansion.blockOffsets[l] + a * nl * width
                                    let offB = expansion.blockOffsets[l] + b * nl * width
                                    let w = dp + k * perPair + degreeOffsets[l]
                                    for n1 in 0..<nl {
                                        for n2 in 0..<nl {
                                            let f = s * w[n1 * nl + n2]
                                            if f == 0 { continue }
                                            for m in 0..<width {
                                                g[offA + n1 * width + m] += f * c[offB + n2 * width + m]
                                                g[offB + n2 * width + m] += f * c[offA + n1 * width + m]
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
