import CrucibleCore

/// Per-atom descriptors of one configuration at a time, for `crucible features`: the spherical
/// expansion itself, its radial spectrum (ν = 1: the l = 0 coefficients, featomic's
/// `SoapRadialSpectrum`), its power spectrum (ν = 2) or its bispectrum (ν = 3), on species channels
/// (featomic's layout) or on any channel map, optionally with dense position and strain gradients.
public struct FeatureCalculator: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case sphericalExpansion = "spherical-expansion"
        case powerSpectrum = "power-spectrum"
        case radialSpectrum = "radial-spectrum"
        case bispectrum
    }

    public let kind: Kind
    public let spectrum: PowerSpectrum
    /// The ν = 3 invariants, for `.bispectrum` only (their set-up integrates coupling tensors).
    public let bispectrum: Bispectrum?
    public var expansion: SphericalExpansion { spectrum.expansion }

    public init(kind: Kind, settings: DensitySettings, channels: ChannelMap) {
        self.kind = kind
        var settings = settings
        if kind == .radialSpectrum { settings.radialCounts = [settings.radialCounts[0]] }
        spectrum = PowerSpectrum(expansion: SphericalExpansion(settings: settings, channels: channels))
        bispectrum = kind == .bispectrum ? Bispectrum(expansion: spectrum.expansion) : nil
    }

    public var featureCount: Int {
        switch kind {
        case .powerSpectrum: return spectrum.featureCount
        case .bispectrum: return bispectrum!.featureCount
        case .sphericalExpansion, .radialSpectrum: return expansion.coefficientCount
        }
    }

    /// Labels of each feature: power spectrum (channel 1, channel 2, l, n1, n2); bispectrum (l1, l2,
    /// l3, channel 1, n1, channel 2, n2, channel 3, n3); spherical expansion (l, channel, n, m) in the
    /// coefficient layout; radial spectrum (channel, n).
    public var properties: [[Int]] {
        switch kind {
        case .powerSpectrum: return spectrum.properties
        case .bispectrum: return bispectrum!.properties
        case .radialSpectrum:
            return (0..<expansion.channels.channelCount).flatMap { c in (0..<expansion.settings.radialCounts[0]).map { [c, $0] } }
        case .sphericalExpansion:
            var labels: [[Int]] = []
            for (l, n) in expansion.settings.radialCounts.enumerated() {
                for channel in 0..<expansion.channels.channelCount {
                    for q in 0..<n { for m in -l...l { labels.append([l, channel, q, m]) } }
                }
            }
            return labels
        }
    }

    public struct Result: Sendable {
        /// atomCount × featureCount.
        public var values: [Double] = []
        /// With gradients: (centre, atom) samples, [sample][α][feature], and [centre][α][β][feature].
        public var gradients: DenseGradients?
    }

    /// `strain: false` skips the strain gradients (training needs only positions).
    public func compute(_ configuration: Configuration, gradients wanted: Bool, strain: Bool = true, workers: Workers) -> Result {
        var c = configuration
        var list = NeighborList(cutoff: expansion.settings.cutoff, skin: 0)
        list.update(&c, workers: workers)
        var rows = PairRows(cutoff: expansion.settings.cutoff)
        rows.build(from: list)
        var coefficients: [Double] = []
        expansion.coefficients(rows: rows, species: c.species, workers: workers, into: &coefficients)
        var result = Result()
        switch kind {
        case .sphericalExpansion, .radialSpectrum:
            result.values = coefficients
            if wanted { result.gradients = expansionGradients(rows: rows, species: c.species) }
        case .powerSpectrum:
            spectrum.features(coefficients: coefficients, atomCount: c.count, workers: workers, into: &result.values)
            if wanted { result.gradients = spectrum.gradients(rows: rows, species: c.species, coefficients: coefficients, strain: strain) }
        case .bispectrum:
            bispectrum!.features(coefficients: coefficients, atomCount: c.count, workers: workers, into: &result.values)
            if wanted { result.gradients = bispectrum!.gradients(rows: rows, species: c.species, coefficients: coefficients, strain: strain) }
        }
        return result
    }

    /// The spherical expansion's own gradients, in the same layout as the power spectrum's.
    func expansionGradients(rows: PairRows, species: [Int32]) -> DenseGradients {
        let scratch = SphericalExpansion.PairScratch(expansion)
        return DenseGradients(rows: rows, featureCount: expansion.coefficientCount) { _, p, dc in
            expansion.pairDerivative(rows: rows, pair: p, species: species, into: &dc, scratch: scratch)
        }
    }
}
