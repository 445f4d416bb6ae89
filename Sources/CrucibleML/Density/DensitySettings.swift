/// Hyperparameters of a neighbour-density expansion, with featomic 0.6's meaning and normalisation
/// (`SphericalExpansion`: Gaussian density, GTO radial basis, shifted-cosine cutoff, Willatt 2018
/// radial scaling). featomic's `max_radial` is inclusive: `radialCounts[l] = max_radial + 1`.
public struct DensitySettings: Sendable, Hashable, Codable {
    /// Cutoff radius, Å.
    public var cutoff: Double
    /// Width of the shifted-cosine smoothing below the cutoff, Å.
    public var smoothingWidth: Double
    /// Width σ of each atom's Gaussian density, Å.
    public var gaussianWidth: Double
    /// Number of radial functions of each angular degree l = 0…L (featomic: the same for every l).
    public var radialCounts: [Int]
    /// Optional radial scaling of each neighbour's weight (Willatt, Musil, Ceriotti 2018).
    public var radialScaling: RadialScaling?
    /// Weight of the centre's own density (featomic's `center_atom_weight`, default 1).
    public var centerWeight: Double

    public init(cutoff: Double, smoothingWidth: Double, gaussianWidth: Double, radialCounts: [Int],
                radialScaling: RadialScaling? = nil, centerWeight: Double = 1) {
        self.cutoff = cutoff
        self.smoothingWidth = smoothingWidth
        self.gaussianWidth = gaussianWidth
        self.radialCounts = radialCounts
        self.radialScaling = radialScaling
        self.centerWeight = centerWeight
    }

    /// featomic's tensor-product basis: l ≤ maxAngular, n ≤ maxRadial (inclusive) for every l.
    public init(cutoff: Double, smoothingWidth: Double, gaussianWidth: Double, maxAngular: Int, maxRadial: Int,
                radialScaling: RadialScaling? = nil, centerWeight: Double = 1) {
        self.init(cutoff: cutoff, smoothingWidth: smoothingWidth, gaussianWidth: gaussianWidth,
                  radialCounts: [Int](repeating: maxRadial + 1, count: maxAngular + 1),
                  radialScaling: radialScaling, centerWeight: centerWeight)
    }

    public var maxAngular: Int { radialCounts.count - 1 }

    /// Problems with these values, for decks and model files to report with their own location.
    public var problems: [String] {
        var found: [String] = []
        if !(cutoff >= 0.5 && cutoff <= 30) { found.append("cutoff must be 0.5 … 30 Å (got \(cutoff))") }
        if !(smoothingWidth > 0 && smoothingWidth <= cutoff) { found.append("smoothing width must be > 0 and at most the cutoff (got \(smoothingWidth))") }
        if !(gaussianWidth >= 0.05 && gaussianWidth <= 5) { found.append("density width must be 0.05 … 5 Å (got \(gaussianWidth))") }
        if radialCounts.isEmpty || radialCounts.count > 16 { found.append("max_angular must be 0…15") }
        // Beyond 16 GTOs the overlap matrix is numerically singular (condition number > 1e11).
        if radialCounts.contains(where: { $0 < 1 || $0 > 16 }) { found.append("radial functions per degree must be 1…16 (max_radial ≤ 15): more GTOs are numerically linearly dependent") }
        if let s = radialScaling { found += s.problems }
        return found
    }
}

/// Willatt 2018 radial scaling: each neighbour's density is weighted by
/// rate / (rate + (r/scale)^exponent) (rate > 0), or (scale/r)^exponent (rate = 0).
public struct RadialScaling: Sendable, Hashable, Codable {
    public var scale: Double
    public var rate: Double
    public var exponent: Double

    public init(scale: Double, rate: Double, exponent: Double) {
        self.scale = scale; self.rate = rate; self.exponent = exponent
    }

    /// Weight and its derivative at distance r > 0.
    @inline(__always)
    public func weight(_ r: Double) -> (value: Double, slope: Double) {
        let x = r / scale
        let xe = pow(x, exponent)
        if rate > 0 {
            let denominator = rate + xe
            return (rate / denominator, -rate * exponent * xe / (r * denominator * denominator))
        }
        return (1 / xe, -exponent / (r * xe))
    }

    var problems: [String] {
        var found: [String] = []
        if !(scale > 0 && scale.isFinite) { found.append("radial scaling: scale must be positive (got \(scale))") }
        if !(rate >= 0 && rate.isFinite) { found.append("radial scaling: rate must be ≥ 0 (got \(rate))") }
        if !(exponent >= 0 && exponent.isFinite) { found.append("radial scaling: exponent must be ≥ 0 (got \(exponent))") }
        return found
    }
}

import Foundation
