/// What a trained model is, independent of where it runs: the density settings, the elements it
/// knows, how they map onto density channels (species channels or pseudoelements), per-element
/// energy offsets, and per-element linear weights on the centre's power spectrum:
///
///   E = Σ_i [ ε(a_i) + w(a_i) · p_i ].
public struct LinearModel: Sendable, Equatable, Codable {
    public var settings: DensitySettings
    /// Element symbols; the model's species index is the position here.
    public var species: [String]
    /// Pseudoelement weights u[J][a] (d × species), or nil for one channel per element.
    public var pseudoelements: [[Double]]?
    /// Energy of an isolated atom of each element, eV.
    public var offsets: [Double]
    /// Per element, one weight per power-spectrum feature (eV).
    public var weights: [[Double]]

    public init(settings: DensitySettings, species: [String], pseudoelements: [[Double]]?, offsets: [Double], weights: [[Double]]) {
        self.settings = settings
        self.species = species
        self.pseudoelements = pseudoelements
        self.offsets = offsets
        self.weights = weights
    }

    /// The channel map for a configuration whose species table lists `symbols` (nil: not in the model).
    public func channels(for modelIndex: [Int?]) -> ChannelMap {
        if let u = pseudoelements {
            let contributions = modelIndex.map { m -> [(channel: Int, weight: Double)] in
                guard let m else { return [] }
                return u.indices.compactMap { j in u[j][m] == 0 ? nil : (j, u[j][m]) }
            }
            return ChannelMap(channelCount: u.count, contributions: contributions)
        }
        return ChannelMap(channelCount: species.count, contributions: modelIndex.map { m in m.map { [($0, 1.0)] } ?? [] })
    }

    /// Number of density channels.
    public var channelCount: Int { pseudoelements?.count ?? species.count }
}
