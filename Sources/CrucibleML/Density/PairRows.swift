import CrucibleCore

/// Every atom's full neighbourhood within a cutoff, as rows of pair vectors r_ij = x_j − x_i, made
/// from the engine's half list (each physical pair, periodic images included, appears once there
/// and twice here: in i's row and, reversed, in j's).
///
/// Why full rows with mirrors: a centre's features need all its neighbours, and threading over
/// centres must stay deterministic. The backward pass writes ∂E/∂r_p into each pair's own slot
/// (rows are disjoint across threads); atom k then gathers its force from its own row as
/// F_k = Σ_p (g_p − g_mirror(p)), in a fixed order, with no shared accumulator.
public struct PairRows: Sendable {
    public let cutoff: Double
    public private(set) var atomCount = 0
    /// Row of atom i: pairs start[i] ..< start[i + 1].
    public private(set) var start: [Int32] = [0]
    /// Owned atom j of each pair (any periodic image of it).
    public private(set) var neighbor: [Int32] = []
    /// r_ij = x_j − x_i, flat 3 per pair.
    public private(set) var vectors: [Double] = []
    /// Index of the reversed pair (j's row, −r_ij).
    public private(set) var mirror: [Int32] = []
    /// Species index of each pair's neighbour.
    public private(set) var neighborSpecies: [Int32] = []

    public init(cutoff: Double) { self.cutoff = cutoff }

    public var pairCount: Int { neighbor.count }

    /// Rebuilds the rows from `list` (current for its configuration; list cutoff ≥ `cutoff`).
    /// Pairs closer than 1e-10 Å (an atom on its own image) are skipped.
    public mutating func build(from list: NeighborList) {
        let n = list.atomCount
        atomCount = n
        let cut2 = cutoff * cutoff
        // Pass 1: count each row; pass 2: fill in half-list order (deterministic, serial).
        var count = [Int32](repeating: 0, count: n + 1)
        var kept: [Int32] = []          // half-list pairs within the cutoff: center slot, neighbour slot
        list.withPairArrays(empty: ()) { a in
            for c in 0..<list.centers.count {
                let ci = Int(a.centers[c])
                let i = Int(list.source[ci])
                let xi = a.positions[3 * ci], yi = a.positions[3 * ci + 1], zi = a.positions[3 * ci + 2]
                for p in Int(a.firstNeighbor[c])..<Int(a.firstNeighbor[c + 1]) {
                    let e = Int(a.neighbors[p])
                    let dx = a.positions[3 * e] - xi, dy = a.positions[3 * e + 1] - yi, dz = a.positions[3 * e + 2] - zi
                    let d2 = dx * dx + dy * dy + dz * dz
                    guard d2 < cut2, d2 > 1e-20 else { continue }
                    kept.append(Int32(ci)); kept.append(Int32(e))
                    count[i + 1] += 1
                    count[Int(list.source[e]) + 1] += 1
                }
            }
        }
        for i in 0..<n { count[i + 1] += count[i] }
        start = count
        let total = Int(count[n])
        neighbor = [Int32](repeating: 0, count: total)
        vectors = [Double](repeating: 0, count: 3 * total)
        mirror = [Int32](repeating: 0, count: total)
        neighborSpecies = [Int32](repeating: 0, count: total)
        var next = Array(count.dropLast())
        let x = list.extendedPositions
        for k in stride(from: 0, to: kept.count, by: 2) {
            let ci = Int(kept[k]), e = Int(kept[k + 1])
            let i = Int(list.source[ci]), j = Int(list.source[e])
            let forward = Int(next[i]); next[i] += 1
            let backward = Int(next[j]); next[j] += 1
            neighbor[forward] = Int32(j); neighbor[backward] = Int32(i)
            mirror[forward] = Int32(backward); mirror[backward] = Int32(forward)
            neighborSpecies[forward] = list.extendedSpecies[e]; neighborSpecies[backward] = list.extendedSpecies[ci]
            for c in 0..<3 {
                let r = x[3 * e + c] - x[3 * ci + c]
                vectors[3 * forward + c] = r
                vectors[3 * backward + c] = -r
            }
        }
    }
}
