/// How each species contributes to the density channels: a list of (channel, weight) per species.
/// Species channels (featomic's `neighbor_type` blocks) are one channel of weight 1 per species;
/// pseudoelements are dense rows u[J][a] mixing every species into d channels, so the cost of an
/// expansion scales with the number of channels, not of elements. One mechanism for both.
public struct ChannelMap: Sendable, Equatable {
    public let channelCount: Int
    /// Per species index: (channel, weight) pairs.
    public let contributions: [[(channel: Int, weight: Double)]]

    /// Species index → its channel (nil: contributes nothing), with `count` channels in all (at least
    /// the largest channel used + 1: channels of elements absent from a frame stay, empty, so every
    /// frame has the same features).
    public static func species(_ channelOfSpecies: [Int?], count: Int? = nil) -> ChannelMap {
        let used = (channelOfSpecies.compactMap { $0 }.max() ?? -1) + 1
        return ChannelMap(channelCount: max(used, count ?? 0), contributions: channelOfSpecies.map { c in c.map { [($0, 1.0)] } ?? [] })
    }

    /// Pseudoelements: `weights[J][e]` mixes element e into channel J; species index → its element
    /// (nil: contributes nothing).
    public static func mixing(_ weights: [[Double]], elementOfSpecies: [Int?]) -> ChannelMap {
        let contributions = elementOfSpecies.map { e -> [(channel: Int, weight: Double)] in
            guard let e else { return [] }
            return weights.indices.compactMap { j in weights[j][e] == 0 ? nil : (j, weights[j][e]) }
        }
        return ChannelMap(channelCount: weights.count, contributions: contributions)
    }

    public init(channelCount: Int, contributions: [[(channel: Int, weight: Double)]]) {
        self.channelCount = channelCount
        self.contributions = contributions
    }

    public static func == (a: ChannelMap, b: ChannelMap) -> Bool {
        a.channelCount == b.channelCount && a.contributions.count == b.contributions.count
            && zip(a.contributions, b.contributions).allSatisfy { x, y in
                x.count == y.count && zip(x, y).allSatisfy { $0.channel == $1.channel && $0.weight == $1.weight }
            }
    }
}
