import CrucibleCore

/// The ν = 3 invariants (bispectrum) of a spherical expansion, per centre: for degrees
/// l1 ≤ l2 ≤ l3 that form a triangle with l1 + l2 + l3 even,
///
///   B_i[l1 l2 l3][a1 a2 a3] = Σ_{m1 m2 m3} W^{l1 l2 l3}_{m1 m2 m3} c_i[l1][a1][m1] c_i[l2][a2][m2] c_i[l3][a3][m3],
///
/// with W the Wigner 3j tensor in the expansion's real basis (`RealCoupling`) and a = (channel, n) a
/// "slot" of the degree's block (channel major). A linear model on B is a 4-body potential. Equal
/// degrees make permuted slots equal, so a block keeps a1 ≤ a2 when l1 = l2 and a2 ≤ a3 when l2 = l3.
/// Odd l1 + l2 + l3 (pseudoscalars, odd under inversion) are left out: the features are invariant
/// under rotations and reflections.
/// Feature order: blocks by (l1, l2, l3) lexicographically, then a1, a2, a3 (a3 fastest).
public struct Bispectrum: Sendable {
    public let expansion: SphericalExpansion
    struct Block: Sendable {
        let degrees: (Int, Int, Int)
        let coupling: RealCoupling
        /// Slots of each degree (channels × radial functions).
        let slots: (Int, Int, Int)
        /// First feature of the block.
        let offset: Int
        func secondStart(_ a1: Int) -> Int { degrees.0 == degrees.1 ? a1 : 0 }
        func thirdStart(_ a2: Int) -> Int { degrees.1 == degrees.2 ? a2 : 0 }
    }
    let blocks: [Block]
    public let featureCount: Int

    public init(expansion: SphericalExpansion) {
        self.expansion = expansion
        let counts = expansion.settings.radialCounts, channels = expansion.channels.channelCount, L = counts.count - 1
        var blocks: [Block] = [], offset = 0
        for l1 in 0...L { for l2 in l1...L { for l3 in l2...L where l3 <= l1 + l2 && (l1 + l2 + l3) % 2 == 0 {
            let s = (channels * counts[l1], channels * counts[l2], channels * counts[l3])
            let block = Block(degrees: (l1, l2, l3), coupling: RealCoupling(l1, l2, l3), slots: s, offset: offset)
            for a1 in 0..<s.0 { for a2 in block.secondStart(a1)..<s.1 { offset += s.2 - block.thirdStart(a2) } }
            blocks.append(block)
        } } }
        self.blocks = blocks
        featureCount = offset
    }

    /// Property labels (l1, l2, l3, channel 1, n1, channel 2, n2, channel 3, n3) in feature order.
    public var properties: [[Int]] {
        let counts = expansion.settings.radialCounts
        var labels: [[Int]] = []
        for b in blocks {
            let (l1, l2, l3) = b.degrees
            for a1 in 0..<b.slots.0 { for a2 in b.secondStart(a1)..<b.slots.1 { for a3 in b.thirdStart(a2)..<b.slots.2 {
                labels.append([l1, l2, l3, a1 / counts[l1], a1 % counts[l1], a2 / counts[l2], a2 % counts[l2], a3 / counts[l3], a3 % counts[l3]])
            } } }
        }
        return labels
    }

    /// Widest degree block (2L + 1): the size of the per-call m-vectors.
    var width: Int { 2 * (expansion.settings.radialCounts.count - 1) + 1 }

    /// Features of every centre (atomCount × featureCount) from its coefficients.
    public func features(coefficients: [Double], atomCount n: Int, workers: Workers, into features: inout [Double]) {
        if features.count != n * featureCount { features = [Double](repeating: 0, count: n * featureCount) }
        let size = expansion.coefficientCount
        coefficients.withUnsafeBufferPointer { cb in
            features.withUnsafeMutableBufferPointer { pb in
                SphericalExpansion.forEachBlock(of: n, workers: workers) { centres in
                    let t = UnsafeMutablePointer<Double>.allocate(capacity: width)
                    defer { t.deallocate() }
                    for i in centres { centerFeatures(cb.baseAddress! + i * size, into: pb.baseAddress! + i * featureCount, scratch: t) }
                }
            }
        }
    }

    /// The slot a of degree l: its 2l + 1 coefficients.
    @inline(__always) func slot(_ c: UnsafePointer<Double>, _ l: Int, _ a: Int) -> UnsafePointer<Double> {
        c + expansion.blockOffsets[l] + a * (2 * l + 1)
    }

    /// t[m3] = Σ W c1[m1] c2[m2]: the first two expansions coupled to degree l3.
    @inline(__always)
    func couple(_ b: Block, _ c1: UnsafePointer<Double>, _ c2: UnsafePointer<Double>, into t: UnsafeMutablePointer<Double>) {
        t.update(repeating: 0, count: 2 * b.degrees.2 + 1)
        for e in b.coupling.entries { t[e.m3] += e.value * c1[e.m1] * c2[e.m2] }
    }

    /// One centre's features from its coefficients (`t`: `width` scratch).
    func centerFeatures(_ c: UnsafePointer<Double>, into p: UnsafeMutablePointer<Double>, scratch t: UnsafeMutablePointer<Double>) {
        for b in blocks {
            let (l1, l2, l3) = b.degrees, w3 = 2 * l3 + 1
            var q = b.offset
            for a1 in 0..<b.slots.0 {
                for a2 in b.secondStart(a1)..<b.slots.1 {
                    couple(b, slot(c, l1, a1), slot(c, l2, a2), into: t)
                    for a3 in b.thirdStart(a2)..<b.slots.2 {
                        let c3 = slot(c, l3, a3)
                        var sum = 0.0
                        for m in 0..<w3 { sum += t[m] * c3[m] }
                        p[q] = sum
                        q += 1
                    }
                }
            }
        }
    }

    /// ∂E/∂c (atomCount × coefficientCount, overwritten) from ∂E/∂B (atomCount × featureCount).
    public func coefficientGradients(featureGradients: [Double], coefficients: [Double], atomCount n: Int,
                                     workers: Workers, into gradients: inout [Double]) {
        let size = expansion.coefficientCount
        if gradients.count != n * size { gradients = [Double](repeating: 0, count: n * size) }
        coefficients.withUnsafeBufferPointer { cb in
            featureGradients.withUnsafeBufferPointer { gp in
                gradients.withUnsafeMutableBufferPointer { gb in
                    SphericalExpansion.forEachBlock(of: n, workers: workers) { centres in
                        let t = UnsafeMutablePointer<Double>.allocate(capacity: 2 * width)
                        defer { t.deallocate() }
                        for i in centres {
                            let g = gb.baseAddress! + i * size
                            g.update(repeating: 0, count: size)
                            centerGradient(cb.baseAddress! + i * size, featureGradient: gp.baseAddress! + i * featureCount, into: g, scratch: t)
                        }
                    }
                }
            }
        }
    }

    /// Adds one centre's ∂E/∂c to `g` (`scratch`: 2 · width). Per (a1, a2): with t = W c1 c2 and
    /// s = Σ_a3 (∂E/∂B) c3, ∂E/∂c3 += (∂E/∂B) t, ∂E/∂c1[m1] += W c2[m2] s[m3], ∂E/∂c2[m2] += W c1[m1] s[m3].
    func centerGradient(_ c: UnsafePointer<Double>, featureGradient dp: UnsafePointer<Double>,
                        into g: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        let t = scratch, s = scratch + width
        for b in blocks {
            let (l1, l2, l3) = b.degrees, w3 = 2 * l3 + 1
            let g1 = g + expansion.blockOffsets[l1], g2 = g + expansion.blockOffsets[l2], g3 = g + expansion.blockOffsets[l3]
            var q = b.offset
            for a1 in 0..<b.slots.0 {
                for a2 in b.secondStart(a1)..<b.slots.1 {
                    let c1 = slot(c, l1, a1), c2 = slot(c, l2, a2)
                    couple(b, c1, c2, into: t)
                    s.update(repeating: 0, count: w3)
                    var any = false
                    for a3 in b.thirdStart(a2)..<b.slots.2 {
                        let f = dp[q]
                        q += 1
                        if f == 0 { continue }
                        any = true
                        let c3 = slot(c, l3, a3), d3 = g3 + a3 * w3
                        for m in 0..<w3 { s[m] += f * c3[m]; d3[m] += f * t[m] }
                    }
                    guard any else { continue }
                    let d1 = g1 + a1 * (2 * l1 + 1), d2 = g2 + a2 * (2 * l2 + 1)
                    for e in b.coupling.entries {
                        let ws = e.value * s[e.m3]
                        d1[e.m1] += ws * c2[e.m2]
                        d2[e.m2] += ws * c1[e.m1]
                    }
                }
            }
        }
    }
}
