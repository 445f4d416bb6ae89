/// Bins over the extended region in fractional coordinates, so triclinic cells bin like orthogonal ones.
/// A sphere of the list cutoff around any point lies within `reach` bins along each axis.
struct BinGrid: Sendable {
    /// Lower corner of the region, fractional.
    var lower: [Double] = [0, 0, 0]
    /// Bin size along each axis, fractional.
    var size: [Double] = [1, 1, 1]
    var counts: [Int] = [1, 1, 1]
    var reach: [Int] = [1, 1, 1]
    /// Extended atoms of bin b are `start[b] ..< start[b + 1]` (extended atoms are sorted by bin).
    var start: [Int32] = [0, 0]

    var binCount: Int { counts[0] * counts[1] * counts[2] }

    /// Grid over [lower, upper] (fractional) with bins at least `target` thick in real space,
    /// `widths` being the cell's perpendicular widths. Caps the number of bins near `maxBins`.
    init(lower: [Double], upper: [Double], widths: [Double], listCutoff: Double, target: Double, maxBins: Int) {
        self.lower = lower
        var binTarget = target
        while true {
            for k in 0..<3 {
                let thickness = (upper[k] - lower[k]) * widths[k]
                counts[k] = max(1, Int(thickness / binTarget))
                size[k] = (upper[k] - lower[k]) / Double(counts[k])
                // Fractional reach of the cutoff sphere along k, in bins.
                reach[k] = max(1, Int((listCutoff / widths[k] / size[k]).rounded(.up)))
            }
            if counts[0] * counts[1] * counts[2] <= max(maxBins, 1) { break }
            binTarget *= 1.26
        }
    }

    init() {}

    /// Bin coordinates of a fractional position (clamped into the grid).
    @inline(__always) func coordinates(_ s0: Double, _ s1: Double, _ s2: Double) -> (Int, Int, Int) {
        @inline(__always) func axis(_ s: Double, _ k: Int) -> Int {
            let t = ((s - lower[k]) / size[k]).rounded(.down)
            guard t.isFinite else { return 0 }  // NaN positions are caught by the guard rails, not here
            let b = Int(max(min(t, 1e9), -1e9))
            return min(max(b, 0), counts[k] - 1)
        }
        return (axis(s0, 0), axis(s1, 1), axis(s2, 2))
    }

    @inline(__always) func index(_ a: Int, _ b: Int, _ c: Int) -> Int { (c * counts[1] + b) * counts[0] + a }
}
