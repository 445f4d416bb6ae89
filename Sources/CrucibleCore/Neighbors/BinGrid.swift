/// Bins over the extended region in fractional coordinates, so triclinic cells bin like orthogonal ones.
/// Along a periodic axis the bins tile the cell exactly (`perCell` bins per cell, `ghostLayers` layers
/// of ghost bins on each side), so a periodic image of an atom lies in its bin shifted by a whole
/// number of cells. The half-stencil pair search relies on that.
struct BinGrid: Sendable {
    /// Lower corner of the region, fractional.
    var lower: [Double] = [0, 0, 0]
    /// Bin size along each axis, fractional.
    var size: [Double] = [1, 1, 1]
    /// Number of bins along each axis (whole region).
    var counts: [Int] = [1, 1, 1]
    /// Bins per cell along a periodic axis (0 for non-periodic axes).
    var perCell: [Int] = [0, 0, 0]
    /// Ghost bin layers below the cell along a periodic axis.
    var ghostLayers: [Int] = [0, 0, 0]
    /// Bins the cutoff sphere can reach along each axis.
    var reach: [Int] = [1, 1, 1]
    /// Extended atoms of bin b are `start[b] ..< start[b + 1]` (extended atoms are sorted by bin).
    var start: [Int32] = [0, 0]

    var binCount: Int { counts[0] * counts[1] * counts[2] }

    init() {}

    /// Bin coordinate of fractional coordinate `s` along `axis`, clamped into [low, high].
    @inline(__always) func coordinate(_ s: Double, axis k: Int, low: Int, high: Int) -> Int {
        let t = ((s - lower[k]) / size[k]).rounded(.down)
        guard t.isFinite else { return low }  // NaN positions are caught by the guard rails, not here
        return min(max(Int(max(min(t, 1e9), -1e9)), low), high)
    }

    /// Bin coordinates of a fractional position (clamped into the grid).
    @inline(__always) func coordinates(_ s0: Double, _ s1: Double, _ s2: Double) -> (Int, Int, Int) {
        (coordinate(s0, axis: 0, low: 0, high: counts[0] - 1),
         coordinate(s1, axis: 1, low: 0, high: counts[1] - 1),
         coordinate(s2, axis: 2, low: 0, high: counts[2] - 1))
    }

    @inline(__always) func index(_ a: Int, _ b: Int, _ c: Int) -> Int { (c * counts[1] + b) * counts[0] + a }

    /// The bins a full-neighbourhood scan around bin `bin` visits: rows (b, c) in `b` × `c`, each the
    /// contiguous bins aLow...aHigh along a (so its atoms are one range of extended indices).
    @inline(__always)
    func scanWindow(around bin: Int) -> (c: ClosedRange<Int>, b: ClosedRange<Int>, aLow: Int, aHigh: Int) {
        let ca = counts[0], cb = counts[1], cc = counts[2]
        let a0 = bin % ca, b0 = (bin / ca) % cb, c0 = bin / (ca * cb)
        return (max(0, c0 - reach[2])...min(cc - 1, c0 + reach[2]), max(0, b0 - reach[1])...min(cb - 1, b0 + reach[1]),
                max(0, a0 - reach[0]), min(ca - 1, a0 + reach[0]))
    }
}
