/// What a trained model is, independent of where it runs: the density settings, the elements it
/// knows, how they map onto density channels (species channels or pseudoelements), per-element
/// energy offsets, per-element linear weights on the centre's power spectrum p_i (ν = 2), and
/// optionally per-element weights on its bispectrum b_i (ν = 3, on the same channels, with its own
/// radial functions), a pair term on its radial spectrum r_i (ν = 1, one channel per element) and a
/// small neural network on r_i or p_i:
///
///   E = Σ_i [ ε(a_i) + w(a_i) · p_i + z(a_i) · b_i + v(a_i) · r_i + NN(x_i, a_i) ],  x_i = r_i or p_i.
///
/// w · p is a 3-body potential, z · b a 4-body one.
/// v(a) · r_i = Σ_j φ_{a_i a_j}(r_ij) is a learned pair potential per species pair; a network on
/// r_i is a non-linear function of the centre's radial densities (the form of an embedding
/// energy), one on p_i a non-linear function of its angular (3-body) invariants, as HEA25's.
public struct MLModel: Sendable, Equatable, Codable {
    public var settings: DensitySettings
    /// Element symbols; the model's species index is the position here.
    public var species: [String]
    /// Pseudoelement weights u[J][a] (d × species), or nil for one channel per element.
    public var pseudoelements: [[Double]]?
    /// Energy of an isolated atom of each element, eV.
    public var offsets: [Double]
    /// Per element, one weight per power-spectrum feature (eV).
    public var weights: [[Double]]
    /// The ν = 1 pair term, or nil.
    public var pair: PairTerm?
    /// The ν = 3 term, or nil.
    public var bispectrum: BispectrumTerm?
    /// The non-linear layer, or nil (on the radial spectrum it needs `pair`).
    public var network: Network?
    /// A physical potential under the model (the model was fitted to the labels minus its energies,
    /// forces and stress; running the model runs both), or nil.
    public var baseline: Baseline?

    /// A potential block in the deck's syntax (lj and eam terms) and the folder, relative to the model
    /// file's, that its file paths start from.
    public struct Baseline: Sendable, Equatable, Codable {
        public var potential: String
        public var directory: String
        public init(potential: String, directory: String) { self.potential = potential; self.directory = directory }
    }

    public init(settings: DensitySettings, species: [String], pseudoelements: [[Double]]?, offsets: [Double], weights: [[Double]],
                pair: PairTerm? = nil, network: Network? = nil) {
        self.settings = settings
        self.species = species
        self.pseudoelements = pseudoelements
        self.offsets = offsets
        self.weights = weights
        self.pair = pair
        self.network = network
    }

    /// The pair term: per centre element, one weight per radial-spectrum feature (neighbour element
    /// major, then n), on `radialCount` radial functions of the model's density.
    public struct PairTerm: Sendable, Equatable, Codable {
        public var radialCount: Int
        /// Gaussian width of the pair term's density (Å), or nil for the model's: a narrower one
        /// resolves steeper pair functions.
        public var gaussianWidth: Double?
        /// Cutoff of the pair term's density (Å), or nil for the model's (smoothing and radial
        /// scaling are the model's). A longer one reaches further for pair physics (HEA25: 6 Å
        /// against the 5 Å of the angular terms).
        public var cutoff: Double?
        /// species × (species · radialCount), eV.
        public var weights: [[Double]]
        public init(radialCount: Int, gaussianWidth: Double? = nil, cutoff: Double? = nil, weights: [[Double]]) {
            self.radialCount = radialCount; self.gaussianWidth = gaussianWidth; self.cutoff = cutoff; self.weights = weights
        }
    }

    /// The bispectrum term: per element, one weight per bispectrum feature, on the model's density
    /// and channels with `radialCounts` radial functions per l (l ≤ radialCounts.count − 1): the
    /// feature count grows as the cube of the slots, so it uses fewer than the power spectrum.
    public struct BispectrumTerm: Sendable, Equatable, Codable {
        public var radialCounts: [Int]
        /// species × bispectrum features, eV.
        public var weights: [[Double]]
        public init(radialCounts: [Int], weights: [[Double]]) { self.radialCounts = radialCounts; self.weights = weights }
    }

    /// The bispectrum's density: the model's, with its own radial functions per l.
    public static func bispectrumSettings(_ settings: DensitySettings, radialCounts: [Int]) -> DensitySettings {
        var s = settings
        s.radialCounts = radialCounts
        return s
    }

    /// The bispectrum term's invariants for a configuration's species (nil without the term).
    func bispectrum(for modelIndex: [Int?]) -> Bispectrum? {
        bispectrum.map { Bispectrum(expansion: SphericalExpansion(settings: Self.bispectrumSettings(settings, radialCounts: $0.radialCounts),
                                                                  channels: channels(for: modelIndex))) }
    }

    /// The channel map for a configuration whose species table lists `symbols` (nil: not in the model).
    public func channels(for modelIndex: [Int?]) -> ChannelMap {
        if let u = pseudoelements { return .mixing(u, elementOfSpecies: modelIndex) }
        return .species(modelIndex, count: species.count)
    }

    /// Number of density channels.
    public var channelCount: Int { pseudoelements?.count ?? species.count }

    /// The density of the radial spectrum: the model's, with `radialCount` functions at l = 0, its own
    /// Gaussian width and cutoff if given, and no centre contribution (a constant per element, which
    /// the offsets already carry).
    public static func radialSettings(_ settings: DensitySettings, radialCount: Int, gaussianWidth: Double? = nil,
                                      cutoff: Double? = nil) -> DensitySettings {
        var s = settings
        s.radialCounts = [radialCount]
        s.centerWeight = 0
        if let gaussianWidth { s.gaussianWidth = gaussianWidth }
        if let cutoff { s.cutoff = cutoff }
        return s
    }

    /// The reach of the model: the largest cutoff of its densities.
    public var cutoff: Double { max(settings.cutoff, pair?.cutoff ?? 0) }

    /// The pair term's expansion for a configuration's species (nil without a pair term).
    func radialExpansion(for modelIndex: [Int?]) -> SphericalExpansion? {
        pair.map { SphericalExpansion(settings: Self.radialSettings(settings, radialCount: $0.radialCount, gaussianWidth: $0.gaussianWidth,
                                                                    cutoff: $0.cutoff),
                                      channels: .species(modelIndex, count: species.count)) }
    }
}
