import CrucibleCore

/// A `LinearModel` running as an in-process potential: the density expansion and power spectrum of
/// every atom, energies from the model, and forces and virial by back-propagating ∂E/∂p through the
/// spectrum to ∂E/∂c and contracting with each pair's derivative once (the feature-gradient tensor
/// is never formed). Threaded over centres; the same bits for any thread count.
public struct MLPotential: ScratchOwningPotential {
    public let name: String
    public let model: LinearModel
    public var cutoff: Double { model.settings.cutoff }
    let spectrum: PowerSpectrum
    /// Configuration species index → model species index.
    let modelIndex: [Int]
    public var scratch = MLScratch()

    public struct MLScratch: ScratchMemory {
        var rows = PairRows(cutoff: 0)
        var coefficients: [Double] = [], features: [Double] = []
        var featureGradients: [Double] = [], coefficientGradients: [Double] = [], pairGradients: [Double] = []
        /// Per-atom energies of the last evaluation, and the Monte Carlo fast path's state.
        var atomEnergies: [Double] = []
        var marks: [Bool] = []
        var staged: [(atom: Int, energy: Double)] = []
        var atomBuffers: MLPotential.AtomBuffers?
        public init() {}
    }

    /// Binds `model` to the species of a configuration; every species must be in the model.
    public init(model: LinearModel, speciesTable: SpeciesTable, name: String) throws {
        var index: [Int] = []
        for symbol in speciesTable.symbols {
            guard let m = model.species.firstIndex(of: symbol) else {
                throw InputError(file: name, key: "species", "the model knows \(model.species.joined(separator: ", ")), not \(symbol)")
            }
            index.append(m)
        }
        self.name = name
        self.model = model
        modelIndex = index
        spectrum = PowerSpectrum(expansion: SphericalExpansion(settings: model.settings, channels: model.channels(for: index)))
        precondition(model.weights.allSatisfy { $0.count == spectrum.featureCount })
        scratch.rows = PairRows(cutoff: model.settings.cutoff)
    }

    public func evaluate(_ configuration: Configuration, neighbors: NeighborList, request: PotentialRequest,
                         workers: Workers, scratch s: inout MLScratch, into result: inout PotentialResult) {
        let n = configuration.count, f = spectrum.featureCount
        if s.rows.cutoff != cutoff { s.rows = PairRows(cutoff: cutoff) }
        s.rows.build(from: neighbors)
        spectrum.expansion.coefficients(rows: s.rows, species: configuration.species, workers: workers, into: &s.coefficients)
        spectrum.features(coefficients: s.coefficients, atomCount: n, workers: workers, into: &s.features)
        // Per-atom energies and ∂E/∂p_i = w(a_i).
        if s.featureGradients.count != n * f { s.featureGradients = [Double](repeating: 0, count: n * f) }
        if s.atomEnergies.count != n { s.atomEnergies = [Double](repeating: 0, count: n) }
        var energy = 0.0
        let wantAtoms = request.contains(.perAtomEnergies)
        for i in 0..<n {
            let m = modelIndex[Int(configuration.species[i])]
            var e = model.offsets[m]
            let w = model.weights[m]
            for q in 0..<f {
                e += w[q] * s.features[i * f + q]
                s.featureGradients[i * f + q] = w[q]
            }
            energy += e
            s.atomEnergies[i] = e
            if wantAtoms { result.perAtomEnergies[i] += e }
        }
        result.energy += energy
        guard request.contains(.forces) || request.contains(.virial) else { return }
        spectrum.coefficientGradients(featureGradients: s.featureGradients, coefficients: s.coefficients, atomCount: n,
                                      workers: workers, into: &s.coefficientGradients)
        spectrum.expansion.pairGradients(rows: s.rows, species: configuration.species, coefficientGradients: s.coefficientGradients,
                                         workers: workers, into: &s.pairGradients)
        if request.contains(.forces) { s.rows.addForces(pairGradients: s.pairGradients, to: &result.forces, workers: workers) }
        if request.contains(.virial) {
            let w = s.rows.virial(pairGradients: s.pairGradients)
            for k in 0..<6 { result.virial[k] += w[k] }
        }
    }
}
