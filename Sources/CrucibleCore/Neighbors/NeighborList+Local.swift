extension NeighborList {
    /// Calls `body(q, dx, dy, dz, r²)` for every extended atom q ≠ the owned copy of atom `i` with
    /// |x_q − x_i| < `radius` (≤ list cutoff), using current positions: the full neighbourhood of i.
    @inline(__always)
    public func forEachNeighbor(ofAtom i: Int, within radius: Double, _ body: (Int, Double, Double, Double, Double) -> Void) {
        let p = Int(ownedSlot[i])
        let x = extendedPositions
        let xi = x[3 * p], yi = x[3 * p + 1], zi = x[3 * p + 2]
        let r2max = radius * radius
        if rowsBuild == buildCount && radius <= cutoff {
            // The atom's row holds, in bin-scan order, every extended atom that can be within the
            // cutoff before the next rebuild: the same visits as the scan below, fewer candidates.
            rows.withUnsafeBufferPointer { row in
                x.withUnsafeBufferPointer { x in
                    for k in Int(rowStart[i])..<Int(rowStart[i + 1]) {
                        let q = Int(row[k])
                        let dx = x[3 * q] - xi, dy = x[3 * q + 1] - yi, dz = x[3 * q + 2] - zi
                        let r2 = dx * dx + dy * dy + dz * dz
                        if r2 < r2max { body(q, dx, dy, dz, r2) }
                    }
                }
            }
            return
        }
        let grid = bins
        let window = grid.scanWindow(around: Int(ownedBin[i]))
        for c in window.c {
            for b in window.b {
                let row = grid.index(0, b, c)
                let lo = Int(grid.start[row + window.aLow]), hi = Int(grid.start[row + window.aHigh + 1])
                for q in lo..<hi where q != p {
                    let dx = x[3 * q] - xi, dy = x[3 * q + 1] - yi, dz = x[3 * q + 2] - zi
                    let r2 = dx * dx + dy * dy + dz * dz
                    if r2 < r2max { body(q, dx, dy, dz, r2) }
                }
            }
        }
    }

    /// Makes the candidate rows of every owned atom for local queries within the cutoff, valid until
    /// the next build (a Monte Carlo stage calls this first; O(N), at most once per build). Between
    /// rebuilds no atom moves more than skin/2 from where it was at the build, so a pair within the
    /// cutoff later was within cutoff + skin at the build, and within cutoff + skin + 2δ now if atoms
    /// moved up to δ since the build. An in-step stage right after a rebuild has δ = 0.
    public mutating func prepareNeighborRows(_ configuration: Configuration) {
        guard rowsBuild != buildCount else { return }
        makeNeighborRows(reach: listCutoff + 2 * displacementBoundSinceBuild(configuration))
    }

    /// The largest displacement of an atom since the build, from the kept build positions; skin/2,
    /// the most a valid list allows, when they are not kept (`check: no`) or the cell changed (images
    /// then move too).
    func displacementBoundSinceBuild(_ configuration: Configuration) -> Double {
        guard positionsAtBuild.count == 3 * configuration.count, configuration.count == atomCount,
              configuration.cell == cellAtBuild else { return 0.5 * skin }
        return largestSquaredDisplacement(configuration).squareRoot()
    }

    /// The rows of every owned atom: the extended atoms within `reach` of it now, in bin-scan order
    /// (the scan of `forEachNeighbor`). Written branch-free into the last rows' storage, sized ahead
    /// from the half list (a full row within the list cutoff holds twice a half row on average),
    /// so a rebuild neither re-grows the array nor faults in fresh pages: at 32,000 atoms the rows
    /// were a sixth of a 40,000-trial swap stage when they were appended one by one.
    mutating func makeNeighborRows(reach: Double) {
        rowsBuild = -1
        var found = rows, start = rowStart
        rows = []
        rowStart = []
        if start.count != atomCount + 1 { start = [Int32](repeating: 0, count: atomCount + 1) }
        let ratio = reach / listCutoff
        let expected = Int(Double(2 * neighbors.count) * ratio * ratio * ratio * 1.1) + 4096
        if found.capacity < expected {
            found = [Int32](repeating: 0, count: expected)
        } else if found.count < expected {
            found.append(contentsOf: repeatElement(0, count: expected - found.count))
        }
        let grid = bins
        let r2max = reach * reach
        var count = 0
        for i in 0..<atomCount {
            let p = Int(ownedSlot[i])
            let (cRange, bRange, aLow, aHigh) = grid.scanWindow(around: Int(ownedBin[i]))
            // Room for every candidate of this atom (each is written before it is kept or not).
            var candidates = 0
            for c in cRange {
                for b in bRange {
                    let row = grid.index(0, b, c)
                    candidates += Int(grid.start[row + aHigh + 1] - grid.start[row + aLow])
                }
            }
            if found.count - count < candidates { found += repeatElement(0, count: max(found.count, candidates)) }
            extendedPositions.withUnsafeBufferPointer { x in
                grid.start.withUnsafeBufferPointer { binStart in
                    found.withUnsafeMutableBufferPointer { out in
                        let x = x.baseAddress!, out = out.baseAddress!
                        let xi = x[3 * p], yi = x[3 * p + 1], zi = x[3 * p + 2]
                        for c in cRange {
                            for b in bRange {
                                let row = grid.index(0, b, c)
                                for q in Int(binStart[row + aLow])..<Int(binStart[row + aHigh + 1]) {
                                    let dx = x[3 * q] - xi, dy = x[3 * q + 1] - yi, dz = x[3 * q + 2] - zi
                                    out[count] = Int32(truncatingIfNeeded: q)
                                    count &+= (dx * dx + dy * dy + dz * dz < r2max && q != p) ? 1 : 0
                                }
                            }
                        }
                    }
                }
            }
            start[i + 1] = Int32(count)
        }
        found.removeLast(found.count - count)
        rowStart = start
        rows = found
        rowsBuild = buildCount
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
