import COpenBLAS
import CrucibleCore
import Foundation

/// Ridge regression of an `MLModel`'s linear parts (per-element offsets, weights on the power
/// spectrum, the pair term's weights on the radial spectrum and the bispectrum term's) on energies,
/// forces and stress: the normal equations are accumulated frame by frame with
/// BLAS (dsyrk, dgemv) and solved by Cholesky (LAPACK dposv) for each regularisation; the one with
/// the lowest validation loss is kept.
///
/// Rows: one per frame for the energy per atom, (n_a/N, Σ_{i∈a} p_i/N) · θ = E/N, weighted by
/// √(energy weight); one per force component, −Σ_{i∈a} ∂p_i/∂x_kα · θ = F_kα, weighted by √(force weight);
/// one per stress component, (1/V) Σ_{i∈a} ∂p_i/∂ε_αβ · θ = σ_αβ (ASE's sign), weighted by √(stress weight).
public struct LinearFit {
    public var settings: DensitySettings
    public var species: [String]
    public var energyWeight: Double
    public var forceWeight: Double
    /// Weight of each stress component ((eV/Å³)⁻²; frames without a stress label add no rows).
    public var stressWeight = 0.0
    public var regularizations: [Double]
    /// One weight vector for every element (fewer unknowns: F instead of S·F) instead of one per element.
    public var sharedWeights = false
    /// Pseudoelement weights u (d × elements), or nil for one density channel per element.
    public var pseudoelements: [[Double]]?
    /// Radial functions of the pair term (ν = 1 on element channels), or nil for none.
    public var pairRadialCount: Int?
    /// The pair term's Gaussian width (Å), or nil for the density's.
    public var pairGaussianWidth: Double?
    /// The pair term's cutoff (Å), or nil for the density's.
    public var pairCutoff: Double?
    /// Radial functions per l of the bispectrum term (ν = 3 on the model's channels), or nil for none.
    public var bispectrumRadialCounts: [Int]?
    public var workers: Workers

    public init(settings: DensitySettings, species: [String], energyWeight: Double, forceWeight: Double,
                regularizations: [Double], workers: Workers) {
        self.settings = settings; self.species = species
        self.energyWeight = energyWeight; self.forceWeight = forceWeight
        self.regularizations = regularizations; self.workers = workers
    }

    public struct Outcome: Sendable {
        public var model: MLModel
        public var regularization: Double
        /// Validation loss of each regularisation tried.
        public var validationLoss: [(regularization: Double, loss: Double)]
    }

    /// Fits on `training`, chooses the regularisation on `validation` (training when empty).
    /// `progress(done, total)` is called after each featurised training frame.
    public func fit(training: [TrainingFrame], validation: [TrainingFrame],
                    progress: (Int, Int) -> Void = { _, _ in }) throws -> Outcome {
        // One BLAS thread: the normal equations' sums then do not depend on OpenBLAS's thread count.
        openblas_set_num_threads(1)
        let s = species.count
        let template = MLModel(settings: settings, species: species, pseudoelements: pseudoelements, offsets: [], weights: [])
        let allSpecies = Array(0..<s)
        let f = PowerSpectrum(expansion: SphericalExpansion(settings: settings, channels: template.channels(for: allSpecies))).featureCount
        let bispectrumSettings = bispectrumRadialCounts.map { MLModel.bispectrumSettings(settings, radialCounts: $0) }
        let b3 = bispectrumSettings.map { Bispectrum(expansion: SphericalExpansion(settings: $0, channels: template.channels(for: allSpecies))).featureCount } ?? 0
        // Unknowns: offsets, then the power spectrum's, the pair term's and the bispectrum's weights.
        let power = Columns(start: s, width: f, perElement: !sharedWeights, species: s)
        let pair = Columns(start: power.end, width: s * (pairRadialCount ?? 0), perElement: true, species: s)
        let third = Columns(start: pair.end, width: b3, perElement: !sharedWeights, species: s)
        let unknowns = third.end
        let radialSettings = pairRadialCount.map { MLModel.radialSettings(settings, radialCount: $0, gaussianWidth: pairGaussianWidth, cutoff: pairCutoff) }
        var normal = [Double](repeating: 0, count: unknowns * unknowns)     // upper triangle, row-major
        var rhs = [Double](repeating: 0, count: unknowns)
        let sqrtE = energyWeight.squareRoot(), sqrtF = forceWeight.squareRoot(), sqrtS = stressWeight.squareRoot()
        let voigt = [(0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1)]
        for (done, frame) in training.enumerated() {
            let c = frame.configuration, n = c.count
            let modelIndex = try c.speciesTable.elements.map { symbol -> Int in
                guard let m = species.firstIndex(of: symbol) else {
                    throw InputError(file: "training data", key: "species", "training frame \(done + 1) holds \(symbol), which the model does not list")
                }
                return m
            }
            let frameChannels = template.channels(for: modelIndex)
            let wantForces = frame.forces != nil && forceWeight > 0
            let wantStress = frame.stress != nil && stressWeight > 0
            func compute(_ kind: FeatureCalculator.Kind, _ settings: DensitySettings, _ channels: ChannelMap) -> FeatureCalculator.Result {
                FeatureCalculator(kind: kind, settings: settings, channels: channels)
                    .compute(c, gradients: wantForces || wantStress, strain: wantStress, workers: workers)
            }
            var terms = [(power, compute(.powerSpectrum, settings, frameChannels))]
            if let radialSettings { terms.append((pair, compute(.sphericalExpansion, radialSettings, .species(modelIndex, count: s)))) }
            if let bispectrumSettings { terms.append((third, compute(.bispectrum, bispectrumSettings, frameChannels))) }
            let stressRow = 1 + (wantForces ? 3 * n : 0)
            let rows = stressRow + (wantStress ? 6 : 0)
            var block = [Double](repeating: 0, count: rows * unknowns), target = [Double](repeating: 0, count: rows)
            // Energy per atom.
            for i in 0..<n {
                let a = modelIndex[Int(c.species[i])]
                block[a] += sqrtE / Double(n)
                for (columns, result) in terms {
                    let width = columns.width
                    for q in 0..<width { block[columns.index(a, q)] += sqrtE * result.values[i * width + q] / Double(n) }
                }
            }
            target[0] = sqrtE * frame.energy / Double(n)
            // Forces: F_kα = −Σ_i w(a_i) · ∂p_i/∂x_kα.
            if wantForces, let reference = frame.forces {
                for (columns, result) in terms {
                    guard let g = result.gradients else { continue }
                    let width = columns.width
                    for (sample, (center, atom)) in g.samples.enumerated() {
                        let a = modelIndex[Int(c.species[center])]
                        for alpha in 0..<3 {
                            let row = (1 + 3 * atom + alpha) * unknowns
                            let source = (sample * 3 + alpha) * width
                            for q in 0..<width { block[row + columns.index(a, q)] -= sqrtF * g.positions[source + q] }
                        }
                    }
                }
                for k in 0..<(3 * n) { target[1 + k] = sqrtF * reference[k] }
            }
            // Stress: σ_αβ = (1/V) Σ_i θ(a_i) · ½(∂p_i/∂ε_αβ + ∂p_i/∂ε_βα).
            if wantStress, let reference = frame.stress {
                let scale = sqrtS / c.cell.volume
                for (columns, result) in terms {
                    guard let g = result.gradients else { continue }
                    let width = columns.width
                    for i in 0..<n {
                        let a = modelIndex[Int(c.species[i])]
                        for (k, (alpha, beta)) in voigt.enumerated() {
                            let row = (stressRow + k) * unknowns
                            let ab = ((i * 3 + alpha) * 3 + beta) * width, ba = ((i * 3 + beta) * 3 + alpha) * width
                            for q in 0..<width { block[row + columns.index(a, q)] += scale * 0.5 * (g.strain[ab + q] + g.strain[ba + q]) }
                        }
                    }
                }
                for k in 0..<6 { target[stressRow + k] = sqrtS * reference[k] }
            }
            // normal += blockᵀ block (upper), rhs += blockᵀ target.
            cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(unknowns), Int32(rows), 1, block, Int32(unknowns), 1, &normal, Int32(unknowns))
            cblas_dgemv(CblasRowMajor, CblasTrans, Int32(rows), Int32(unknowns), 1, block, Int32(unknowns), target, 1, 1, &rhs, 1)
            progress(done + 1, training.count)
        }
        var best: (Double, Double, MLModel)? = nil
        var losses: [(Double, Double)] = []
        for lambda in regularizations {
            guard let x = Self.solveRidge(normal, rhs, unknowns: unknowns, fixed: s, regularization: lambda) else {
                losses.append((lambda, .infinity)); continue
            }
            func rows(_ columns: Columns) -> [[Double]] { (0..<s).map { a in (0..<columns.width).map { x[columns.index(a, $0)] } } }
            var model = MLModel(settings: settings, species: species, pseudoelements: pseudoelements, offsets: Array(x[0..<s]), weights: rows(power),
                                pair: pairRadialCount.map { MLModel.PairTerm(radialCount: $0, gaussianWidth: pairGaussianWidth, cutoff: pairCutoff, weights: rows(pair)) })
            model.bispectrum = bispectrumRadialCounts.map { MLModel.BispectrumTerm(radialCounts: $0, weights: rows(third)) }
            let errors = try FitErrors(model: model, frames: validation.isEmpty ? training : validation, workers: workers)
            let loss = energyWeight * errors.energyRMSE * errors.energyRMSE + forceWeight * errors.forceRMSE * errors.forceRMSE
                + stressWeight * errors.stressRMSE * errors.stressRMSE
            losses.append((lambda, loss))
            if best == nil || loss < best!.1 { best = (lambda, loss, model) }
        }
        guard let best else {
            throw InputError(file: "fit", key: "regularization", "the normal equations could not be solved for any regularisation (too few data for \(unknowns) unknowns?)")
        }
        return Outcome(model: best.2, regularization: best.0, validationLoss: losses)
    }

    /// One group of unknowns: `width` weights per element (or one vector all elements share) from `start`.
    struct Columns {
        let start: Int, width: Int, perElement: Bool, species: Int
        var end: Int { start + (perElement ? species : 1) * width }
        @inline(__always) func index(_ a: Int, _ q: Int) -> Int { perElement ? start + a * width + q : start + q }
    }

    /// Solves (A + λ·mean diag·I) x = b by Cholesky (LAPACK dposv) for the upper-triangle normal
    /// matrix A; the first `fixed` unknowns (offsets) get a tiny ridge only. Nil when not positive definite.
    static func solveRidge(_ normal: [Double], _ rhs: [Double], unknowns: Int, fixed: Int, regularization lambda: Double) -> [Double]? {
        solve(normal, rhs, ridge: ridgeDiagonal(normal, unknowns: unknowns, fixed: fixed, regularization: lambda))
    }

    /// Solves (A + diag(ridge)) x = b by Cholesky for the upper-triangle normal matrix A; nil when not
    /// positive definite.
    static func solve(_ normal: [Double], _ rhs: [Double], ridge: [Double]) -> [Double]? {
        let unknowns = rhs.count
        var m = normal, x = rhs
        for k in 0..<unknowns { m[k * unknowns + k] += ridge[k] }
        let info = LAPACKE_dposv(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(unknowns), 1, &m, Int32(unknowns), &x, 1)
        return info == 0 ? x : nil
    }

    /// The ridge added to each diagonal entry: λ × the mean diagonal of the weights' block, 1e-12 × it
    /// for the first `fixed` unknowns.
    static func ridgeDiagonal(_ normal: [Double], unknowns: Int, fixed: Int, regularization lambda: Double) -> [Double] {
        var meanDiagonal = 0.0
        for k in fixed..<unknowns { meanDiagonal += normal[k * unknowns + k] }
        meanDiagonal = max(meanDiagonal / Double(max(1, unknowns - fixed)), 1e-300)
        return (0..<unknowns).map { ($0 < fixed ? 1e-12 : lambda) * meanDiagonal }
    }
}
