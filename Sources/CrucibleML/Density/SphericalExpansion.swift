import CrucibleCore
import Foundation

/// Expansion coefficients c_i[l][J][n][m] of each atom's neighbour density (Gaussians smoothed to
/// zero at the cutoff) on radial functions × real spherical harmonics, per density channel J:
///
///   c_i[l][J][n][m] = Σ_j u_J(a_j) f_c(r_ij) s(r_ij) I_nl(r_ij) Y_lm(r̂_ij)  (+ the centre's own density),
///
/// and the backward pass that turns ∂E/∂c into ∂E/∂r_ij for every pair without forming ∂c/∂r.
///
/// Layout of one centre's coefficients: degree blocks l = 0…L; in each, channel-major n_l × (2l+1)
/// matrices (m = −l…l). A power spectrum of degree l is then one product of a block with itself.
/// Threaded over fixed blocks of centres; every centre is summed over its own row in row order,
/// so results are the same bits for any thread count.
public struct SphericalExpansion: Sendable {
    public let settings: DensitySettings
    public let channels: ChannelMap
    public let radial: RadialIntegral
    let harmonics: SphericalHarmonics
    let smoothing: CosineSwitch
    /// Start of degree l's block in a centre's coefficients, and the size of one centre's set.
    public let blockOffsets: [Int]
    public let coefficientCount: Int
    /// Flat channel contributions: species a's pairs are contributionStart[a] ..< contributionStart[a + 1].
    let contributionStart: [Int]
    let contributionChannel: [Int]
    let contributionWeight: [Double]
    /// The centre's own Gaussian (l = 0 only): I_n0(0) Y_00 × centre weight, per n.
    let selfTerm: [Double]

    public init(settings: DensitySettings, channels: ChannelMap) {
        precondition(settings.problems.isEmpty, settings.problems.joined(separator: "; "))
        self.settings = settings
        self.channels = channels
        let radial = RadialIntegral.shared(settings)
        self.radial = radial
        harmonics = SphericalHarmonics(maxDegree: settings.maxAngular, condonShortleyPhase: false)
        smoothing = CosineSwitch(inner: settings.cutoff - settings.smoothingWidth, outer: settings.cutoff)
        var offsets: [Int] = [], total = 0
        for (l, n) in settings.radialCounts.enumerated() {
            offsets.append(total)
            total += channels.channelCount * n * (2 * l + 1)
        }
        blockOffsets = offsets
        coefficientCount = total
        var start = [0], channel: [Int] = [], weight: [Double] = []
        for list in channels.contributions {
            for (c, w) in list { channel.append(c); weight.append(w) }
            start.append(channel.count)
        }
        contributionStart = start
        contributionChannel = channel
        contributionWeight = weight
        var values = [Double](repeating: 0, count: radial.table.functionCount), slopes = values
        values.withUnsafeMutableBufferPointer { v in
            slopes.withUnsafeMutableBufferPointer { s in radial.table.evaluate(0, values: v.baseAddress!, slopes: s.baseAddress!) }
        }
        let y00 = 1 / (4 * Double.pi).squareRoot()
        selfTerm = (0..<settings.radialCounts[0]).map { settings.centerWeight * values[$0] * y00 }
    }

    /// Number of fixed work blocks centres are cut into (independent of the thread count).
    static let blockCount = 64

    /// Runs `body` on each non-empty one of the `blockCount` fixed blocks of n centres, on the workers.
    static func forEachBlock(of n: Int, workers: Workers, _ body: (Range<Int>) -> Void) {
        workers.forEach(blockCount) { block in
            let range = (block * n / blockCount)..<((block + 1) * n / blockCount)
            if !range.isEmpty { body(range) }
        }
    }

    /// Per-thread buffers of one pair's radial and angular parts: raw memory, allocated once per
    /// block of centres or once per potential copy (no allocation, no uniqueness check per pair).
    final class PairScratch {
        let radial: UnsafeMutablePointer<Double>, radialSlope: UnsafeMutablePointer<Double>
        let y: UnsafeMutablePointer<Double>, yGradient: UnsafeMutablePointer<Double>
        let a: UnsafeMutablePointer<Double>, b: UnsafeMutablePointer<Double>
        let harmonicCount: Int
        var harmonics = SphericalHarmonics.Scratch()
        init(_ e: SphericalExpansion) {
            let nr = e.radial.table.functionCount, ny = e.harmonics.count
            radial = .allocate(capacity: nr); radialSlope = .allocate(capacity: nr)
            y = .allocate(capacity: ny); yGradient = .allocate(capacity: 3 * ny)
            a = .allocate(capacity: ny); b = .allocate(capacity: ny)
            harmonicCount = ny
        }
        deinit {
            for p in [radial, radialSlope, y, yGradient, a, b] { p.deallocate() }
        }
    }

    /// The neighbour weight f_c(d) s(d) and its slope.
    @inline(__always)
    func neighborWeight(_ d: Double) -> (Double, Double) {
        let (fc, dfc) = smoothing(d)
        guard let scaling = settings.radialScaling else { return (fc, dfc) }
        let (s, ds) = scaling.weight(d)
        return (fc * s, dfc * s + fc * ds)
    }

    /// Coefficients of every atom into `coefficients` (atomCount × coefficientCount).
    public func coefficients(rows: PairRows, species: [Int32], workers: Workers, into coefficients: inout [Double]) {
        let n = rows.atomCount, size = coefficientCount
        if coefficients.count != n * size { coefficients = [Double](repeating: 0, count: n * size) }
        coefficients.withUnsafeMutableBufferPointer { cBuffer in
            rows.vectors.withUnsafeBufferPointer { vectors in
                rows.neighborSpecies.withUnsafeBufferPointer { neighborSpecies in
                    let cAll = cBuffer.baseAddress!
                    workers.forEach(Self.blockCount) { block in
                        let lo = block * n / Self.blockCount, hi = (block + 1) * n / Self.blockCount
                        guard lo < hi else { return }
                        let s = PairScratch(self)
                        for i in lo..<hi {
                            let first = Int(rows.start[i])
                            accumulate(center: cAll + i * size, species: Int(species[i]), pairs: Int(rows.start[i + 1]) - first,
                                       vectors: vectors.baseAddress! + 3 * first, neighborSpecies: neighborSpecies.baseAddress! + first,
                                       scratch: s)
                        }
                    }
                }
            }
        }
    }

    /// One centre's coefficients (overwritten) from its neighbours' vectors (3 per pair) and species.
    func accumulate(center c: UnsafeMutablePointer<Double>, species a: Int, pairs: Int, vectors: UnsafePointer<Double>,
                    neighborSpecies: UnsafePointer<Int32>, scratch s: PairScratch) {
        let counts = settings.radialCounts, L = settings.maxAngular
        c.update(repeating: 0, count: coefficientCount)
        for k in contributionStart[a]..<contributionStart[a + 1] {
            let base = contributionChannel[k] * counts[0]
            for q in 0..<counts[0] { c[base + q] += contributionWeight[k] * selfTerm[q] }
        }
        for p in 0..<pairs {
            let x = vectors[3 * p], y = vectors[3 * p + 1], z = vectors[3 * p + 2]
            let d = (x * x + y * y + z * z).squareRoot()
            let (w, _) = neighborWeight(d)
            let aj = Int(neighborSpecies[p])
            radial.table.evaluate(d, values: s.radial, slopes: s.radialSlope)
            harmonics.evaluate(x, y, z, values: s.y, gradients: nil, scratch: &s.harmonics)
            for k in contributionStart[aj]..<contributionStart[aj + 1] {
                let channel = contributionChannel[k], u = contributionWeight[k] * w
                for l in 0...L {
                    let width = 2 * l + 1, nl = counts[l]
                    let block = c + blockOffsets[l] + channel * nl * width
                    let r0 = radial.offsets[l], y0 = l * l
                    for q in 0..<nl {
                        let f = u * s.radial[r0 + q]
                        let row = block + q * width
                        for m in 0..<width { row[m] += f * s.y[y0 + m] }
                    }
                }
            }
        }
    }

    /// ∂E/∂r_p for every pair p (3 per pair, into `pairGradients`) from ∂E/∂c (`coefficientGradients`,
    /// atomCount × coefficientCount) at the configuration the rows describe.
    public func pairGradients(rows: PairRows, species: [Int32], coefficientGradients: [Double], workers: Workers,
                              into pairGradients: inout [Double]) {
        let n = rows.atomCount, size = coefficientCount
        if pairGradients.count != 3 * rows.pairCount { pairGradients = [Double](repeating: 0, count: 3 * rows.pairCount) }
        let counts = settings.radialCounts, L = settings.maxAngular
        pairGradients.withUnsafeMutableBufferPointer { gBuffer in
            let g = gBuffer.baseAddress!
            coefficientGradients.withUnsafeBufferPointer { gc in
                workers.forEach(Self.blockCount) { block in
                    let lo = block * n / Self.blockCount, hi = (block + 1) * n / Self.blockCount
                    guard lo < hi else { return }
                    let s = PairScratch(self)
                    for i in lo..<hi {
                        let dEdc = gc.baseAddress! + i * size
                        for p in Int(rows.start[i])..<Int(rows.start[i + 1]) {
                            let x = rows.vectors[3 * p], y = rows.vectors[3 * p + 1], z = rows.vectors[3 * p + 2]
                            let d = (x * x + y * y + z * z).squareRoot()
                            let (w, dw) = neighborWeight(d)
                            let aj = Int(rows.neighborSpecies[p])
                            radial.table.evaluate(d, values: s.radial, slopes: s.radialSlope)
                            harmonics.evaluate(x, y, z, values: s.y, gradients: s.yGradient, scratch: &s.harmonics)
                            // A_lm = Σ_J u_J Σ_n ∂E/∂c R_ln, B_lm the same with R_ln'.
                            s.a.update(repeating: 0, count: s.harmonicCount)
                            s.b.update(repeating: 0, count: s.harmonicCount)
                            for k in contributionStart[aj]..<contributionStart[aj + 1] {
                                let channel = contributionChannel[k], u = contributionWeight[k]
                                for l in 0...L {
                                    let width = 2 * l + 1, nl = counts[l]
                                    let block = dEdc + blockOffsets[l] + channel * nl * width
                                    let r0 = radial.offsets[l], y0 = l * l
                                    for q in 0..<nl {
                                        let fr = u * s.radial[r0 + q], fs = u * s.radialSlope[r0 + q]
                                        let row = block + q * width
                                        for m in 0..<width {
                                            s.a[y0 + m] += fr * row[m]
                                            s.b[y0 + m] += fs * row[m]
                                        }
                                    }
                                }
                            }
                            // g = r̂ Σ (w' A + w B) Y + w Σ A ∇Y.
                            var radialPart = 0.0, gx = 0.0, gy = 0.0, gz = 0.0
                            for k in 0..<s.harmonicCount {
                                radialPart += (dw * s.a[k] + w * s.b[k]) * s.y[k]
                                gx += s.a[k] * s.yGradient[3 * k]
                                gy += s.a[k] * s.yGradient[3 * k + 1]
                                gz += s.a[k] * s.yGradient[3 * k + 2]
                            }
                            radialPart /= d
                            g[3 * p] = radialPart * x + w * gx
                            g[3 * p + 1] = radialPart * y + w * gy
                            g[3 * p + 2] = radialPart * z + w * gz
                        }
                    }
                }
            }
        }
    }
}

extension PairRows {
    /// Forces F_k = −∂E/∂x_k = Σ_{p ∈ row k} (g_p − g_mirror(p)), added to `forces` (flat 3N).
    public func addForces(pairGradients g: [Double], to forces: inout [Double], workers: Workers) {
        let n = atomCount
        forces.withUnsafeMutableBufferPointer { f in
            workers.forEach(SphericalExpansion.blockCount) { block in
                let lo = block * n / SphericalExpansion.blockCount, hi = (block + 1) * n / SphericalExpansion.blockCount
                for k in lo..<hi {
                    var fx = 0.0, fy = 0.0, fz = 0.0
                    for p in Int(start[k])..<Int(start[k + 1]) {
                        let q = Int(mirror[p])
                        fx += g[3 * p] - g[3 * q]; fy += g[3 * p + 1] - g[3 * q + 1]; fz += g[3 * p + 2] - g[3 * q + 2]
                    }
                    f[3 * k] += fx; f[3 * k + 1] += fy; f[3 * k + 2] += fz
                }
            }
        }
    }

    /// Virial Σ x ⊗ f = −Σ_p r_p ⊗ g_p (Voigt xx yy zz yz xz xy), summed in row order.
    public func virial(pairGradients g: [Double]) -> [Double] {
        var w = [Double](repeating: 0, count: 6)
        for p in 0..<pairCount {
            let r = (vectors[3 * p], vectors[3 * p + 1], vectors[3 * p + 2])
            w[0] -= r.0 * g[3 * p]; w[1] -= r.1 * g[3 * p + 1]; w[2] -= r.2 * g[3 * p + 2]
            w[3] -= 0.5 * (r.1 * g[3 * p + 2] + r.2 * g[3 * p + 1])
            w[4] -= 0.5 * (r.0 * g[3 * p + 2] + r.2 * g[3 * p])
            w[5] -= 0.5 * (r.0 * g[3 * p + 1] + r.1 * g[3 * p])
        }
        return w
    }
}
