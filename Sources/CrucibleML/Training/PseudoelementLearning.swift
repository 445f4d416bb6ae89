import COpenBLAS
import CrucibleCore
import Foundation

/// Learns the pseudoelement weights u (d × elements) of a linear model from energies and forces, by
/// variable projection: for the current u the linear weights θ are their ridge optimum (closed
/// form), and u takes an Adam step along ∂L/∂u at that θ (the envelope theorem makes this the
/// gradient of the projected loss). Rows of u are kept at unit length (p is quadratic in u, so a
/// common scale would only trade against the ridge penalty).
///
/// The element-resolved coefficients c_i[l][a][n][m] of every training atom are computed once;
/// each iteration compresses them, c'_J = Σ_a u_Ja c_a, and back-propagates through the power
/// spectrum: ∂(w·p_i)/∂u_Ja = Σ_{lnm} (∂(w·p_i)/∂c'_i[l][J][n][m]) c_i[l][a][n][m].
///
/// Forces (the first `forceFrames` training frames that have them, weighted by `forceWeight`
/// relative to the energies) add their rows to θ's normal equations at each u (dense feature
/// gradients at that u) and their loss to u's gradient without second derivatives: with the
/// residual r fixed, Σ_k r_k F_k = −Σ_i θ·dp_i, where dp_i = 2B(c'_i, dc'_i) is the power spectrum's
/// change along r (p = B(c', c')) and dc' = u dc the compressed directional derivative, so
/// ∂/∂u_Ja = Σ (G(dc')_J c_a + G(c')_J dc_a) with G(X) = ∂(θ·B(X, X))/∂X, the backward pass at X.
public struct PseudoelementLearning {
    public var settings: DensitySettings
    public var species: [String]
    public var count: Int
    public var iterations: Int
    public var learningRate: Double
    /// Ridge regularisation of θ inside the loop (relative to the normal matrix's mean diagonal).
    public var regularization: Double
    public var sharedWeights: Bool
    public var seed: UInt64
    public var workers: Workers
    /// Weight of a frame's mean squared force component relative to its squared per-atom energy
    /// error (loss.forces / loss.energy); 0 learns u from energies only.
    public var forceWeight = 0.0
    /// How many training frames with forces (the first ones) add force rows.
    public var forceFrames = 0

    public init(settings: DensitySettings, species: [String], count: Int, iterations: Int, learningRate: Double,
                regularization: Double, sharedWeights: Bool, seed: UInt64, workers: Workers) {
        self.settings = settings; self.species = species; self.count = count; self.iterations = iterations
        self.learningRate = learningRate; self.regularization = regularization; self.sharedWeights = sharedWeights
        self.seed = seed; self.workers = workers
    }

    /// Element-resolved coefficients of one frame and what the loss needs of it; force frames also
    /// keep their configuration, rows and forces.
    struct Frame {
        var atoms: Int
        var modelSpecies: [Int]
        var coefficients: [Double]
        var energyPerAtom: Double
        var forceData: ForceData?
    }

    struct ForceData {
        var configuration: Configuration
        /// Configuration species → model species.
        var index: [Int]
        var rows: PairRows
        var forces: [Double]
    }

    /// `forces`: keep the force data of the first `forceFrames` frames that have forces.
    func prepare(_ frames: [TrainingFrame], forces: Bool = false) throws -> [Frame] {
        let s = species.count
        var forceFramesLeft = forces && forceWeight > 0 ? forceFrames : 0
        return try frames.map { frame in
            let c = frame.configuration
            let index = try c.speciesTable.elements.map { symbol -> Int in
                guard let m = species.firstIndex(of: symbol) else {
                    throw InputError(file: "training data", key: "species", "a frame holds \(symbol), which the model does not list")
                }
                return m
            }
            let expansion = SphericalExpansion(settings: settings, channels: ChannelMap(channelCount: s, contributions: index.map { [($0, 1.0)] }))
            var configuration = c
            var list = NeighborList(cutoff: settings.cutoff, skin: 0)
            list.update(&configuration, workers: workers)
            var rows = PairRows(cutoff: settings.cutoff)
            rows.build(from: list)
            var coefficients: [Double] = []
            expansion.coefficients(rows: rows, species: configuration.species, workers: workers, into: &coefficients)
            var forceData: ForceData? = nil
            if forceFramesLeft > 0, let forces = frame.forces {
                forceData = ForceData(configuration: c, index: index, rows: rows, forces: forces)
                forceFramesLeft -= 1
            }
            return Frame(atoms: c.count, modelSpecies: configuration.species.map { index[Int($0)] }, coefficients: coefficients,
                         energyPerAtom: frame.energy / Double(c.count), forceData: forceData)
        }
    }

    public struct Outcome: Sendable {
        public var pseudoelements: [[Double]]
        /// Energy RMSE per atom (eV) on the training and validation frames at each iteration.
        public var history: [(training: Double, validation: Double)]
    }

    /// Learns u on `training`; keeps the u with the lowest validation RMSE (training when empty).
    public func learn(training: [TrainingFrame], validation: [TrainingFrame],
                      progress: (Int, Double, Double) -> Void = { _, _, _ in }) throws -> Outcome {
        openblas_set_num_threads(1)   // sums independent of OpenBLAS's thread count
        let s = species.count, d = count
        let train = try prepare(training, forces: true), valid = try prepare(validation)
        let full = SphericalExpansion(settings: settings, channels: ChannelMap(channelCount: s, contributions: []))
        let compressed = SphericalExpansion(settings: settings, channels: ChannelMap(channelCount: d, contributions: []))
        let spectrum = PowerSpectrum(expansion: compressed)
        let f = spectrum.featureCount
        // u: seeded Gaussian rows of unit length.
        var random = RandomStream(seed: seed, stream: 91)
        var u = (0..<d).map { _ in (0..<s).map { _ in random.normal() } }
        normalize(&u)
        var m = [Double](repeating: 0, count: d * s), v = m
        var best: (Double, [[Double]])? = nil
        var history: [(Double, Double)] = []
        for iteration in 0...iterations {
            let (theta, trainRMSE, gradient, _) = step(train, u: u, full: full, compressed: compressed, spectrum: spectrum, features: f)
            let validRMSE = valid.isEmpty ? trainRMSE : rmse(valid, u: u, theta: theta, full: full, compressed: compressed, spectrum: spectrum, features: f)
            history.append((trainRMSE, validRMSE))
            if best == nil || validRMSE < best!.0 { best = (validRMSE, u) }
            progress(iteration, trainRMSE, validRMSE)
            guard iteration < iterations else { break }
            // Adam.
            let t = Double(iteration + 1)
            for k in 0..<(d * s) {
                m[k] = 0.9 * m[k] + 0.1 * gradient[k]
                v[k] = 0.999 * v[k] + 0.001 * gradient[k] * gradient[k]
                let mh = m[k] / (1 - pow(0.9, t)), vh = v[k] / (1 - pow(0.999, t))
                u[k / s][k % s] -= learningRate * mh / (vh.squareRoot() + 1e-12)
            }
            normalize(&u)
        }
        return Outcome(pseudoelements: best!.1, history: history)
    }

    func normalize(_ u: inout [[Double]]) {
        for j in u.indices {
            let norm = u[j].reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 0 { u[j] = u[j].map { $0 / norm } }
        }
    }

    /// c'_i = u c_i for every atom of a frame (layout of `compressed`).
    func compress(_ frame: Frame, u: [[Double]], full: SphericalExpansion, compressed: SphericalExpansion) -> [Double] {
        compress(frame.coefficients, atoms: frame.atoms, u: u, full: full, compressed: compressed)
    }

    /// c'_i = u c_i of element-resolved coefficients `c` (layout of `full`) into the layout of `compressed`.
    func compress(_ coefficients: [Double], atoms: Int, u: [[Double]], full: SphericalExpansion, compressed: SphericalExpansion) -> [Double] {
        let s = species.count, d = u.count, kf = full.coefficientCount, kc = compressed.coefficientCount
        var out = [Double](repeating: 0, count: atoms * kc)
        for i in 0..<atoms {
            for (l, nl) in settings.radialCounts.enumerated() {
                let block = nl * (2 * l + 1)
                for j in 0..<d {
                    let target = i * kc + compressed.blockOffsets[l] + j * block
                    for a in 0..<s where u[j][a] != 0 {
                        let source = i * kf + full.blockOffsets[l] + a * block
                        for q in 0..<block { out[target + q] += u[j][a] * coefficients[source + q] }
                    }
                }
            }
        }
        return out
    }

    /// The energy row of a frame: (n_a/N, Σ_i p_i/N (shared) or per element).
    func row(_ frame: Frame, features p: [Double], features f: Int) -> [Double] {
        let s = species.count
        var x = [Double](repeating: 0, count: s + (sharedWeights ? 1 : s) * f)
        let inv = 1 / Double(frame.atoms)
        for i in 0..<frame.atoms {
            let a = frame.modelSpecies[i]
            x[a] += inv
            let base = sharedWeights ? s : s + a * f
            for q in 0..<f { x[base + q] += p[i * f + q] * inv }
        }
        return x
    }

    /// Ridge θ for u, the training RMSE, ∂J/∂u and J, the projected objective: the mean squared
    /// per-atom energy error plus the ridge penalty (per frame) at θ. By the envelope theorem ∂J/∂u is
    /// the partial derivative at fixed θ, which is what is computed.
    func step(_ frames: [Frame], u: [[Double]], full: SphericalExpansion, compressed: SphericalExpansion,
              spectrum: PowerSpectrum, features f: Int) -> ([Double], Double, [Double], Double) {
        let s = species.count, d = u.count
        let unknowns = s + (sharedWeights ? 1 : s) * f
        var normal = [Double](repeating: 0, count: unknowns * unknowns), rhs = [Double](repeating: 0, count: unknowns)
        var cache: [([Double], [Double])] = []     // compressed coefficients and features per frame
        for frame in frames {
            let c = compress(frame, u: u, full: full, compressed: compressed)
            var p: [Double] = []
            spectrum.features(coefficients: c, atomCount: frame.atoms, workers: workers, into: &p)
            let x = row(frame, features: p, features: f)
            cblas_dsyr(CblasRowMajor, CblasUpper, Int32(unknowns), 1, x, 1, &normal, Int32(unknowns))
            for k in 0..<unknowns { rhs[k] += x[k] * frame.energyPerAtom }
            cache.append((c, p))
        }
        // The ridge scales with the energy rows' mean diagonal only (its u-dependence is below).
        let ridge = LinearFit.ridgeDiagonal(normal, unknowns: unknowns, fixed: s, regularization: regularization)
        // Force rows at this u: −√(ρ/3N) Σ_i ∂p_i/∂x_kα in the weights' columns, target √(ρ/3N) F_kα.
        var forceRows: [(frame: Int, block: [Double], weight: Double)] = []
        for (k, frame) in frames.enumerated() {
            guard let data = frame.forceData, forceWeight > 0 else { continue }
            let n = frame.atoms, weight = (forceWeight / Double(3 * n)).squareRoot()
            let calculator = FeatureCalculator(kind: .powerSpectrum, settings: settings, channels: .mixing(u, elementOfSpecies: data.index))
            let g = calculator.compute(data.configuration, gradients: true, strain: false, workers: workers).gradients!
            var block = [Double](repeating: 0, count: 3 * n * unknowns)
            for (sample, (center, atom)) in g.samples.enumerated() {
                let base = sharedWeights ? s : s + frame.modelSpecies[center] * f
                for alpha in 0..<3 {
                    let row = (3 * atom + alpha) * unknowns + base, source = (sample * 3 + alpha) * f
                    for q in 0..<f { block[row + q] -= weight * g.positions[source + q] }
                }
            }
            let target = data.forces.map { weight * $0 }
            cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(unknowns), Int32(3 * n), 1, block, Int32(unknowns), 1, &normal, Int32(unknowns))
            cblas_dgemv(CblasRowMajor, CblasTrans, Int32(3 * n), Int32(unknowns), 1, block, Int32(unknowns), target, 1, 1, &rhs, 1)
            forceRows.append((k, block, weight))
        }
        let theta = LinearFit.solve(normal, rhs, ridge: ridge) ?? [Double](repeating: 0, count: unknowns)
        var penalty = 0.0
        for k in 0..<unknowns { penalty += ridge[k] * theta[k] * theta[k] }
        // The ridge scales with the mean diagonal m(u) of the weights' block, so J also depends on u
        // through m: ∂(θᵀRθ)/∂u = P ∂m/∂u with P = Σ_k (R_k/m) θ_k², m = Σ_f Σ_{k≥s} x_fk² / W.
        let m = ridge[s] / regularization, weightsCount = Double(unknowns - s)
        let slopeOfPenalty = penalty / m
        var gradient = [Double](repeating: 0, count: d * s), squares = 0.0
        for (frame, (c, p)) in zip(frames, cache) {
            let x = row(frame, features: p, features: f)
            var prediction = 0.0
            for k in 0..<unknowns { prediction += x[k] * theta[k] }
            let r = prediction - frame.energyPerAtom
            squares += r * r
            // ∂J/∂p_iq (times the frame count): 2/N (r θ_q + P x_q / W), then through the spectrum to c'_i
            // and contracted with the element-resolved coefficients.
            var dEdp = [Double](repeating: 0, count: frame.atoms * f)
            let inv = 1 / Double(frame.atoms)
            for i in 0..<frame.atoms {
                let base = sharedWeights ? s : s + frame.modelSpecies[i] * f
                for q in 0..<f { dEdp[i * f + q] = 2 * inv * (r * theta[base + q] + slopeOfPenalty * x[base + q] / weightsCount) }
            }
            var g: [Double] = []
            spectrum.coefficientGradients(featureGradients: dEdp, coefficients: c, atomCount: frame.atoms, workers: workers, into: &g)
            contract(g, with: frame.coefficients, atoms: frame.atoms, scale: 1 / Double(frames.count), full: full, compressed: compressed, into: &gradient)
        }
        // Force rows: ∂(Σ_k (w r_k)²)/∂u = −2w² ∂(Σ_i θ·dp_i(r))/∂u at fixed r (see the type's comment).
        var forceSquares = 0.0
        for (k, block, weight) in forceRows {
            let frame = frames[k], data = frame.forceData!, n = frame.atoms
            var residual = [Double](repeating: 0, count: 3 * n)
            for row in 0..<(3 * n) {
                var model = 0.0
                for q in 0..<unknowns { model += block[row * unknowns + q] * theta[q] }
                let r = model - weight * data.forces[row]
                forceSquares += r * r
                residual[row] = r / weight
            }
            let elements = SphericalExpansion(settings: settings, channels: ChannelMap(channelCount: s, contributions: data.index.map { [($0, 1.0)] }))
            var dc: [Double] = []
            elements.directionalDerivative(rows: data.rows, displacements: residual, into: &dc)
            let c = compress(frame, u: u, full: full, compressed: compressed)
            let dcc = compress(dc, atoms: n, u: u, full: full, compressed: compressed)
            var weights = [Double](repeating: 0, count: n * f)
            for i in 0..<n {
                let base = sharedWeights ? s : s + frame.modelSpecies[i] * f
                for q in 0..<f { weights[i * f + q] = theta[base + q] }
            }
            var gAtDirection: [Double] = [], gAtCoefficients: [Double] = []
            spectrum.coefficientGradients(featureGradients: weights, coefficients: dcc, atomCount: n, workers: workers, into: &gAtDirection)
            spectrum.coefficientGradients(featureGradients: weights, coefficients: c, atomCount: n, workers: workers, into: &gAtCoefficients)
            let scale = -2 * weight * weight / Double(frames.count)
            contract(gAtDirection, with: frame.coefficients, atoms: n, scale: scale, full: full, compressed: compressed, into: &gradient)
            contract(gAtCoefficients, with: dc, atoms: n, scale: scale, full: full, compressed: compressed, into: &gradient)
        }
        let count = Double(max(1, frames.count))
        return (theta, (squares / count).squareRoot(), gradient, (squares + forceSquares + penalty) / count)
    }

    /// ∂/∂u_Ja of Σ g·c' with c' = u c: adds scale × Σ_{i,l,n,m} g_i[l][J][n][m] c_i[l][a][n][m] to
    /// gradient[J·s + a] (g in the compressed layout, c in the element-resolved one).
    func contract(_ g: [Double], with c: [Double], atoms: Int, scale: Double, full: SphericalExpansion, compressed: SphericalExpansion,
                  into gradient: inout [Double]) {
        let s = species.count, d = compressed.channels.channelCount, kf = full.coefficientCount, kc = compressed.coefficientCount
        for i in 0..<atoms {
            for (l, nl) in settings.radialCounts.enumerated() {
                let width = nl * (2 * l + 1)
                for j in 0..<d {
                    let gBase = i * kc + compressed.blockOffsets[l] + j * width
                    for a in 0..<s {
                        let cBase = i * kf + full.blockOffsets[l] + a * width
                        var sum = 0.0
                        for q in 0..<width { sum += g[gBase + q] * c[cBase + q] }
                        gradient[j * s + a] += scale * sum
                    }
                }
            }
        }
    }

    func rmse(_ frames: [Frame], u: [[Double]], theta: [Double], full: SphericalExpansion, compressed: SphericalExpansion,
              spectrum: PowerSpectrum, features f: Int) -> Double {
        var squares = 0.0
        for frame in frames {
            let c = compress(frame, u: u, full: full, compressed: compressed)
            var p: [Double] = []
            spectrum.features(coefficients: c, atomCount: frame.atoms, workers: workers, into: &p)
            let x = row(frame, features: p, features: f)
            var prediction = 0.0
            for k in 0..<x.count { prediction += x[k] * theta[k] }
            squares += (prediction - frame.energyPerAtom) * (prediction - frame.energyPerAtom)
        }
        return (squares / Double(max(1, frames.count))).squareRoot()
    }
}
