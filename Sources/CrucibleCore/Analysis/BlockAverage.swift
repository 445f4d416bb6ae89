/// Mean and standard error of correlated samples from block averages: the finite samples are cut
/// into `blocks` consecutive blocks of equal length (at most one block per sample; samples beyond
/// the last whole block count in the mean only), and the error is the spread of the block means
/// over √blocks — the error of the mean when blocks outlast the correlation time.
public enum BlockAverage {
    public static func of(_ samples: [Double], blocks wanted: Int = 10) -> (mean: Double, error: Double) {
        let values = samples.filter(\.isFinite)
        guard !values.isEmpty else { return (.nan, .nan) }
        let mean = values.reduce(0, +) / Double(values.count)
        let means = blockMeans(values, blocks: wanted)
        guard means.count >= 2 else { return (mean, .nan) }
        let m = means.reduce(0, +) / Double(means.count)
        let variance = means.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(means.count - 1)
        return (mean, (variance / Double(means.count)).squareRoot())
    }

    /// The means of the blocks `of` uses (fewer blocks when there are fewer finite samples).
    public static func blockMeans(_ samples: [Double], blocks wanted: Int = 10) -> [Double] {
        let values = samples.filter(\.isFinite)
        let blocks = min(wanted, values.count)
        guard blocks >= 1 else { return [] }
        let size = values.count / blocks
        return (0..<blocks).map { b in values[(b * size)..<((b + 1) * size)].reduce(0, +) / Double(size) }
    }
}
