import COpenBLAS
import CrucibleCore

/// A `MLModel` running as an in-process potential: the density expansion and power spectrum of
/// every atom, energies from the model, and forces and virial by back-propagating ∂E/∂p through the
/// spectrum to ∂E/∂c and contracting with each pair's derivative once (the feature-gradient tensor
/// is never formed). The pair term (and a network on it) works the same way on the radial
/// spectrum, whose pair gradients join the power spectrum's before forces are gathered (or are
/// gathered on rows of their own when the pair term has its own cutoff); a network on the power
/// spectrum adds its input gradient to w. Threaded over centres;
/// the same bits for any thread count.
public struct MLPotential: ScratchOwningPotential {
    public let name: String
    public let model: MLModel
    /// The model's reach (its pair term's cutoff may exceed its angular terms').
    public var cutoff: Double { model.cutoff }
    /// The pair term's rows are the angular terms' unless its cutoff differs.
    var separatePairRows: Bool { radialExpansion.map { $0.settings.cutoff != model.settings.cutoff } ?? false }
    let spectrum: PowerSpectrum
    /// The ν = 3 term's invariants (its own expansion, same channels), when the model has one.
    let bispectrum: Bispectrum?
    /// The radial spectrum's expansion (element channels; the pair term's cutoff), when the model has a pair term.
    let radialExpansion: SphericalExpansion?
    /// Configuration species index → model species index.
    let modelIndex: [Int]
    /// The network in its block form (one matrix product per layer over a block of atoms), for full
    /// evaluations and a Monte Carlo trial's affected atoms; `localEnergy` uses `Network.energy`.
    let networkBatch: Network.Batched?
    public var scratch = MLScratch()

    public struct MLScratch: ScratchMemory {
        var rows = PairRows(cutoff: 0)
        /// The pair term's rows when its cutoff differs from the angular terms'.
        var pairRows = PairRows(cutoff: 0)
        var coefficients: [Double] = [], features: [Double] = []
        var featureGradients: [Double] = [], coefficientGradients: [Double] = [], pairGradients: [Double] = []
        var radialCoefficients: [Double] = [], radialGradients: [Double] = [], radialPairGradients: [Double] = []
        var bispectrumCoefficients: [Double] = [], bispectrumFeatures: [Double] = [], bispectrumGradients: [Double] = []
        var bispectrumCoefficientGradients: [Double] = [], bispectrumPairGradients: [Double] = []
        /// Per-atom energies of the last evaluation, and the Monte Carlo fast path's state.
        var atomEnergies: [Double] = []
        var marks: [Bool] = []
        var staged: [(atom: Int, energy: Double)] = []
        var atomBuffers: MLPotential.AtomBuffers?
        public init() {}
    }

    /// Binds `model` to the species of a configuration; every species must be in the model.
    public init(model: MLModel, speciesTable: SpeciesTable, name: String) throws {
        var index: [Int] = []
        for symbol in speciesTable.elements {
            guard let m = model.species.firstIndex(of: symbol) else {
                throw InputError(file: name, key: "species", "the model knows \(model.species.joined(separator: ", ")), not \(symbol)")
            }
            index.append(m)
        }
        self.name = name
        self.model = model
        modelIndex = index
        spectrum = PowerSpectrum(expansion: SphericalExpansion(settings: model.settings, channels: model.channels(for: index)))
        radialExpansion = model.radialExpansion(for: index)
        bispectrum = model.bispectrum(for: index)
        networkBatch = model.network.map(Network.Batched.init)
        // The network's products run on the engine's worker threads: OpenBLAS must not add its own.
        if networkBatch != nil { openblas_set_num_threads(1) }
        precondition(model.weights.allSatisfy { $0.count == spectrum.featureCount })
        precondition(model.bispectrum?.weights.allSatisfy { $0.count == bispectrum?.featureCount } ?? true)
        scratch.rows = PairRows(cutoff: model.settings.cutoff)
        if separatePairRows { scratch.pairRows = PairRows(cutoff: radialExpansion!.settings.cutoff) }
    }

    public func evaluate(_ configuration: Configuration, neighbors: NeighborList, request: PotentialRequest,
                         workers: Workers, scratch s: inout MLScratch, into result: inout PotentialResult) {
        let n = configuration.count, f = spectrum.featureCount
        if s.rows.cutoff != model.settings.cutoff { s.rows = PairRows(cutoff: model.settings.cutoff) }
        s.rows.build(from: neighbors)
        if separatePairRows {
            if s.pairRows.cutoff != radialExpansion!.settings.cutoff { s.pairRows = PairRows(cutoff: radialExpansion!.settings.cutoff) }
            s.pairRows.build(from: neighbors)
        }
        spectrum.expansion.coefficients(rows: s.rows, species: configuration.species, workers: workers, into: &s.coefficients)
        spectrum.features(coefficients: s.coefficients, atomCount: n, workers: workers, into: &s.features)
        // Per-atom energies and ∂E/∂p_i = w(a_i); with a pair term, ∂E/∂r_i too.
        if s.featureGradients.count != n * f { s.featureGradients = [Double](repeating: 0, count: n * f) }
        if s.atomEnergies.count != n { s.atomEnergies = [Double](repeating: 0, count: n) }
        if let radial = radialExpansion {
            radial.coefficients(rows: separatePairRows ? s.pairRows : s.rows, species: configuration.species, workers: workers, into: &s.radialCoefficients)
            if s.radialGradients.count != s.radialCoefficients.count { s.radialGradients = [Double](repeating: 0, count: s.radialCoefficients.count) }
        }
        let b3 = bispectrum?.featureCount ?? 0
        if let bispectrum {
            bispectrum.expansion.coefficients(rows: s.rows, species: configuration.species, workers: workers, into: &s.bispectrumCoefficients)
            bispectrum.features(coefficients: s.bispectrumCoefficients, atomCount: n, workers: workers, into: &s.bispectrumFeatures)
            if s.bispectrumGradients.count != n * b3 { s.bispectrumGradients = [Double](repeating: 0, count: n * b3) }
        }
        let species = configuration.species
        // Raw views of the buffers the block loop reads and writes (one closure per buffer, not nested deeper).
        s.features.withUnsafeBufferPointer { p in
        s.featureGradients.withUnsafeMutableBufferPointer { dp in
        s.radialCoefficients.withUnsafeBufferPointer { r in
        s.radialGradients.withUnsafeMutableBufferPointer { dr in
        s.bispectrumFeatures.withUnsafeBufferPointer { b in
        s.bispectrumGradients.withUnsafeMutableBufferPointer { db in
        s.atomEnergies.withUnsafeMutableBufferPointer { energies in
            SphericalExpansion.forEachBlock(of: n, workers: workers) { centres in
                let hidden = UnsafeMutablePointer<Double>.allocate(capacity: model.network?.scratchCount ?? 1)
                defer { hidden.deallocate() }
                for i in centres {
                    let m = modelIndex[Int(species[i])]
                    energies[i] = atomEnergy(m, features: p.baseAddress! + i * f, featureGradient: dp.baseAddress! + i * f,
                                             radial: radialExpansion == nil ? nil : r.baseAddress! + i * radialWidth,
                                             radialGradient: radialExpansion == nil ? nil : dr.baseAddress! + i * radialWidth,
                                             bispectrum: b3 == 0 ? nil : b.baseAddress! + i * b3,
                                             bispectrumGradient: b3 == 0 ? nil : db.baseAddress! + i * b3,
                                             hidden: hidden, network: networkBatch == nil)
                }
                // The network on the whole block: its energies join the atoms', its input gradients
                // the linear terms' (already in dp or dr).
                if let batch = networkBatch, let input = model.network?.input {
                    let lo = centres.lowerBound, count = centres.count
                    let scratch = UnsafeMutablePointer<Double>.allocate(capacity: batch.scratchCount(count) + count)
                    defer { scratch.deallocate() }
                    let (x, g, width) = input == .powerSpectrum ? (p.baseAddress!, dp.baseAddress!, f) : (r.baseAddress!, dr.baseAddress!, radialWidth)
                    batch.evaluate(x + lo * width, count: count, element: { modelIndex[Int(species[lo + $0])] },
                                   energies: scratch, adding: g + lo * width, scratch: scratch + count)
                    for i in centres { energies[i] += scratch[i - lo] }
                }
            }
        }
        }
        }
        }
        }
        }
        }
        var energy = 0.0
        for i in 0..<n { energy += s.atomEnergies[i] }
        if request.contains(.perAtomEnergies) { for i in 0..<n { result.perAtomEnergies[i] += s.atomEnergies[i] } }
        result.energy += energy
        guard request.contains(.forces) || request.contains(.virial) else { return }
        spectrum.coefficientGradients(featureGradients: s.featureGradients, coefficients: s.coefficients, atomCount: n,
                                      workers: workers, into: &s.coefficientGradients)
        spectrum.expansion.pairGradients(rows: s.rows, species: configuration.species, coefficientGradients: s.coefficientGradients,
                                         workers: workers, into: &s.pairGradients)
        if let radial = radialExpansion {
            radial.pairGradients(rows: separatePairRows ? s.pairRows : s.rows, species: configuration.species, coefficientGradients: s.radialGradients,
                                 workers: workers, into: &s.radialPairGradients)
            if !separatePairRows { for k in s.pairGradients.indices { s.pairGradients[k] += s.radialPairGradients[k] } }
        }
        if let bispectrum {
            bispectrum.coefficientGradients(featureGradients: s.bispectrumGradients, coefficients: s.bispectrumCoefficients, atomCount: n,
                                            workers: workers, into: &s.bispectrumCoefficientGradients)
            bispectrum.expansion.pairGradients(rows: s.rows, species: configuration.species, coefficientGradients: s.bispectrumCoefficientGradients,
                                               workers: workers, into: &s.bispectrumPairGradients)
            for k in s.pairGradients.indices { s.pairGradients[k] += s.bispectrumPairGradients[k] }
        }
        if request.contains(.forces) { s.rows.addForces(pairGradients: s.pairGradients, to: &result.forces, workers: workers) }
        if request.contains(.virial) {
            let w = s.rows.virial(pairGradients: s.pairGradients)
            for k in 0..<6 { result.virial[k] += w[k] }
        }
        // A pair term on rows of its own adds its forces and virial separately.
        if separatePairRows {
            if request.contains(.forces) { s.pairRows.addForces(pairGradients: s.radialPairGradients, to: &result.forces, workers: workers) }
            if request.contains(.virial) {
                let w = s.pairRows.virial(pairGradients: s.radialPairGradients)
                for k in 0..<6 { result.virial[k] += w[k] }
            }
        }
    }

    /// Radial-spectrum entries per atom (elements × radial functions; 0 without a pair term).
    var radialWidth: Int { radialExpansion?.coefficientCount ?? 0 }

    /// One atom's energy ε + w · p (+ NN(p)) (+ z · b) (+ v · r (+ NN(r))) of model element m,
    /// writing ∂E/∂p (and ∂E/∂b, ∂E/∂r). `network: false` leaves the network out (a full evaluation
    /// runs it on blocks of atoms).
    @inline(__always)
    func atomEnergy(_ m: Int, features p: UnsafePointer<Double>, featureGradient dp: UnsafeMutablePointer<Double>?,
                    radial r: UnsafePointer<Double>?, radialGradient dr: UnsafeMutablePointer<Double>?,
                    bispectrum b: UnsafePointer<Double>?, bispectrumGradient db: UnsafeMutablePointer<Double>?,
                    hidden: UnsafeMutablePointer<Double>, network includeNetwork: Bool = true) -> Double {
        var e = model.offsets[m]
        if let b, let z = model.bispectrum?.weights[m] {
            for q in z.indices { e += z[q] * b[q] }
            if let db { for q in z.indices { db[q] = z[q] } }
        }
        let w = model.weights[m], f = spectrum.featureCount
        for q in 0..<f { e += w[q] * p[q] }
        if includeNetwork, let network = model.network, network.input == .powerSpectrum {
            e += network.energy(p, element: m, gradient: dp, scratch: hidden)
            if let dp { for q in 0..<f { dp[q] += w[q] } }
        } else if let dp {
            for q in 0..<f { dp[q] = w[q] }
        }
        guard let r, let pair = model.pair else { return e }
        if includeNetwork, let network = model.network, network.input == .radialSpectrum { e += network.energy(r, element: m, gradient: dr, scratch: hidden) }
        else if let dr { dr.update(repeating: 0, count: radialWidth) }
        let v = pair.weights[m]
        for q in 0..<radialWidth { e += v[q] * r[q] }
        if let dr { for q in 0..<radialWidth { dr[q] += v[q] } }
        return e
    }
}
