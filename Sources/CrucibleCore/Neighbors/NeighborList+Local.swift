extension NeighborList {
    /// Calls `body(q, dx, dy, dz, r²)` for every extended atom q ≠ the owned copy of atom `i` with
    /// |x_q − x_i| < `radius` (≤ list cutoff), using current positions: the full neighbourhood of i.
    @inline(__always)
    public func forEachNeighbor(ofAtom i: Int, within radius: Double, _ body: (Int, Double, Double, Double, Double) -> Void) {
        let p = Int(ownedSlot[i])
        let x = extendedPositions
        let xi = x[3 * p], yi = x[3 * p + 1], zi = x[3 * p + 2]
        let r2max = radius * radius
        let grid = bins
        let bin = Int(ownedBin[i])
        let a0 = bin % grid.counts[0], b0 = (bin / grid.counts[0]) % grid.counts[1], c0 = bin / (grid.counts[0] * grid.counts[1])
        let ca = grid.counts[0], cb = grid.counts[1], cc = grid.counts[2]
        for c in max(0, c0 - grid.reach[2])...min(cc - 1, c0 + grid.reach[2]) {
            for b in max(0, b0 - grid.reach[1])...min(cb - 1, b0 + grid.reach[1]) {
                let row = (c * cb + b) * ca
                let lo = Int(grid.start[row + max(0, a0 - grid.reach[0])])
                let hi = Int(grid.start[row + min(ca - 1, a0 + grid.reach[0]) + 1])
                for q in lo..<hi where q != p {
                    let dx = x[3 * q] - xi, dy = x[3 * q + 1] - yi, dz = x[3 * q + 2] - zi
                    let r2 = dx * dx + dy * dy + dz * dz
                    if r2 < r2max { body(q, dx, dy, dz, r2) }
                }
            }
        }
    }

    /// Appends atom `a` and every atom within `radius` of it that is not marked yet to `found`,
    /// marking them (for a radius = the cutoff: the atoms whose per-atom energy can change when `a`
    /// changes species); returns the number of extended atoms examined. Allocates nothing once `found`
    /// has grown to its working size.
    @discardableResult
    public func addEnvironment(of a: Int, radius: Double, marks: inout [Bool], into found: inout [Int]) -> Int {
        var visits = 0
        if !marks[a] { marks[a] = true; found.append(a) }
        forEachNeighbor(ofAtom: a, within: radius) { q, _, _, _, _ in
            visits += 1
            let i = Int(source[q])
            if !marks[i] { marks[i] = true; found.append(i) }
        }
        return visits
    }
}

extension NeighborList {
    /// Sets the species of atom `i` on all its extended copies (a Monte Carlo species change): the
    /// list stays valid without a refresh. O(copies of i).
    public mutating func setSpecies(_ species: Int32, ofAtom i: Int) {
        for c in Int(copyStart[i])..<Int(copyStart[i + 1]) { extendedSpecies[Int(copies[c])] = species }
        speciesAtBuild[i] = species
    }
}
