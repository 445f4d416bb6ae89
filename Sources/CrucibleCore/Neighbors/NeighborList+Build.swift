extension NeighborList {
    /// Builds ghosts, bins, the half list, the copy index and the work chunks from scratch.
    /// Atoms should be wrapped into the cell first (`Configuration.wrap`).
    public mutating func build(_ configuration: Configuration, workers: Workers = .serial) {
        let n = configuration.count
        let cell = configuration.cell
        let inv = cell.inverse
        atomCount = n

        let blocks = NeighborList.chunkCount
        var frac = [Double](repeating: 0, count: 3 * n)
        configuration.positions.withUnsafeBufferPointer { x in
            frac.withUnsafeMutableBufferPointer { s in
                workers.forEach(blocks) { block in
                    for i in (n * block / blocks)..<(n * (block + 1) / blocks) {
                        let xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2]
                        for k in 0..<3 { s[3 * i + k] = xi * inv[k] + yi * inv[3 + k] + zi * inv[6 + k] }
                    }
                }
            }
        }
        var grid = makeGrid(cell: cell, frac: frac, atomCount: n)
        let widths = cell.perpendicularWidths
        let orthogonal = cell.matrix[1] == 0 && cell.matrix[2] == 0 && cell.matrix[3] == 0 && cell.matrix[5] == 0
            && cell.matrix[6] == 0 && cell.matrix[7] == 0

        // Bin of each owned atom; periodic axes are clamped into the cell's own bins.
        var ownedBinCoordinates = [Int](repeating: 0, count: 3 * n)
        let binRange = (0..<3).map { k in
            cell.periodic[k] ? (grid.ghostLayers[k], grid.ghostLayers[k] + grid.perCell[k] - 1) : (0, grid.counts[k] - 1)
        }
        let binGrid = grid
        frac.withUnsafeBufferPointer { s in
            ownedBinCoordinates.withUnsafeMutableBufferPointer { out in
                workers.forEach(blocks) { block in
                    for i in (n * block / blocks)..<(n * (block + 1) / blocks) {
                        for k in 0..<3 {
                            out[3 * i + k] = binGrid.coordinate(s[3 * i + k], axis: k, low: binRange[k].0, high: binRange[k].1)
                        }
                    }
                }
            }
        }

        // Images: every copy of an atom whose bin (owner's bin + n·perCell) lies in the region.
        let maxShift = (0..<3).map { k in cell.periodic[k] ? (grid.counts[k] + grid.perCell[k] - 1) / grid.perCell[k] : 0 }
        let side = maxShift.map { 2 * $0 + 1 }
        var imageSlot = [Int32](repeating: -1, count: side[0] * side[1] * side[2])
        imageSlot[(maxShift[2] * side[1] + maxShift[1]) * side[0] + maxShift[0]] = 0
        var shifts: [Int32] = [0, 0, 0]
        var extSource: [Int32] = [], extImage: [Int32] = [], extBin: [Int32] = []
        extSource.reserveCapacity(2 * n); extImage.reserveCapacity(2 * n); extBin.reserveCapacity(2 * n)
        // Along a periodic axis, the shifts n that keep bin a + n·perCell inside the grid.
        func shiftRange(_ bin: Int, _ k: Int) -> ClosedRange<Int> {
            guard cell.periodic[k] else { return 0...0 }
            let per = grid.perCell[k]
            let low = -(bin / per), high = (grid.counts[k] - 1 - bin) / per
            return max(low, -maxShift[k])...min(high, maxShift[k])
        }
        for i in 0..<n {
            let a = ownedBinCoordinates[3 * i], b = ownedBinCoordinates[3 * i + 1], c = ownedBinCoordinates[3 * i + 2]
            let rangeA = shiftRange(a, 0), rangeB = shiftRange(b, 1)
            for nc in shiftRange(c, 2) {
                let cc = c + nc * grid.perCell[2]
                for nb in rangeB {
                    let bb = b + nb * grid.perCell[1]
                    for na in rangeA {
                        let aa = a + na * grid.perCell[0]
                        let full = ((nc + maxShift[2]) * side[1] + nb + maxShift[1]) * side[0] + na + maxShift[0]
                        if imageSlot[full] < 0 {
                            imageSlot[full] = Int32(shifts.count / 3)
                            shifts += [Int32(na), Int32(nb), Int32(nc)]
                        }
                        extSource.append(Int32(i))
                        extImage.append(imageSlot[full])
                        extBin.append(Int32(grid.index(aa, bb, cc)))
                    }
                }
            }
        }
        imageShifts = shifts
        imageOffsets = [Double](repeating: 0, count: shifts.count)
        let m = extSource.count

        // Stable counting sort of the extended atoms by bin.
        var counts = [Int32](repeating: 0, count: grid.binCount + 1)
        for p in 0..<m { counts[Int(extBin[p]) + 1] += 1 }
        for b in 0..<grid.binCount { counts[b + 1] += counts[b] }
        grid.start = counts
        var fill = counts
        var order = [Int32](repeating: 0, count: m)
        for p in 0..<m {
            let bin = Int(extBin[p])
            order[Int(fill[bin])] = Int32(p)
            fill[bin] += 1
        }
        source = order.map { extSource[Int($0)] }
        imageOf = order.map { extImage[Int($0)] }
        let sortedBin = order.map { extBin[Int($0)] }
        extendedCount = m
        bins = grid
        ownedBin = (0..<n).map { i in
            Int32(grid.index(ownedBinCoordinates[3 * i], ownedBinCoordinates[3 * i + 1], ownedBinCoordinates[3 * i + 2]))
        }
        extendedPositions = [Double](repeating: 0, count: 3 * m)
        extendedSpecies = source.map { configuration.species[Int($0)] }
        speciesAtBuild = configuration.species
        // Kept only for the displacement check (a list rebuilt on a fixed schedule saves 3N doubles).
        positionsAtBuild = checkDisplacement ? configuration.positions : []
        cellAtBuild = cell
        refresh(configuration, workers: workers)

        // The build's scratch goes before the half list, the largest array, is made.
        frac = []; ownedBinCoordinates = []; extSource = []; extImage = []; extBin = []; order = []
        buildCopies()
        buildHalfList(sortedBin: sortedBin, stencil: halfStencil(grid: grid, widths: widths, orthogonal: orthogonal), workers: workers)
        buildChunks(workers: workers)
        buildCount += 1
    }

    /// Most bins along one axis, and in all. Bins of r_list/2 reach the per-axis cap only in cells
    /// millions of Å long, which then get coarser bins; the caps keep the bin count (a product of three
    /// axes, stored as Int32 bin indices) from overflowing in any finite cell.
    static let maxBinsPerAxis = 1 << 20
    static let maxBins = 1 << 27

    /// `x` as an Int clamped into `low...high`, truncated toward zero (so rounded down when `x ≥ 0`);
    /// NaN gives `low`. Never traps, whatever `x` (Int(x) does for infinite or huge values).
    @inline(__always) static func clampedInt(_ x: Double, _ low: Int, _ high: Int) -> Int {
        guard x >= Double(low) else { return low }
        guard x < Double(high) else { return high }
        return Int(x)
    }

    /// Bins about half the list cutoff thick (coarser if there would be far more bins than atoms).
    /// Along a periodic axis: an integer number of bins per cell (≥ 1) and whole ghost layers; the
    /// reach is the cutoff over the actual bin thickness. At most `maxBinsPerAxis` bins per cell or
    /// along a non-periodic axis, and the bins are made coarser while there are more than
    /// min(4·N + 64, `maxBins`).
    private func makeGrid(cell: Cell, frac: [Double], atomCount n: Int) -> BinGrid {
        let widths = cell.perpendicularWidths
        let rList = listCutoff
        var grid = BinGrid()
        // The span of the atoms along each non-periodic axis, fractional.
        var spans = [(lo: Double, hi: Double)](repeating: (0, 1), count: 3)
        for k in 0..<3 where !cell.periodic[k] {
            var lo = Double.infinity, hi = -Double.infinity
            for i in 0..<n { lo = min(lo, frac[3 * i + k]); hi = max(hi, frac[3 * i + k]) }
            if n == 0 || !lo.isFinite || !hi.isFinite { lo = 0; hi = 1 }
            spans[k] = (lo, max(hi, lo + 1e-9))
        }
        let axisCap = NeighborList.maxBinsPerAxis
        let binLimit = Double(min(4 * n + 64, NeighborList.maxBins))
        var target = rList / 2
        while true {
            for k in 0..<3 {
                let reachFraction = rList / widths[k]  // the cutoff sphere's extent in fractional units
                if cell.periodic[k] {
                    let perCell = NeighborList.clampedInt(widths[k] / target, 1, axisCap)
                    // Whole ghost layers at least r_list thick (huge only in cells far thinner than the
                    // cutoff, which Simulation refuses: their periodic images would not fit in memory).
                    let ghosts = NeighborList.clampedInt((reachFraction * Double(perCell)).rounded(.up), 0, axisCap)
                    grid.perCell[k] = perCell
                    grid.ghostLayers[k] = ghosts
                    grid.size[k] = 1 / Double(perCell)
                    grid.lower[k] = -Double(ghosts) / Double(perCell)
                    grid.counts[k] = perCell + 2 * ghosts
                    grid.reach[k] = max(1, ghosts)
                } else {
                    let (lo, hi) = spans[k]
                    // A span so long that it overflows (atoms ~1e308 Å apart) gets one bin.
                    let extent = (hi - lo) * widths[k]
                    let count = extent.isFinite ? NeighborList.clampedInt(extent / target, 1, axisCap) : 1
                    grid.perCell[k] = 0
                    grid.ghostLayers[k] = 0
                    grid.lower[k] = lo
                    grid.size[k] = (hi - lo) / Double(count) * (1 + 1e-12)
                    grid.counts[k] = count
                    // Capped at the bin count: no two atoms are further apart than that (a flat cluster has 1e-9 thick bins).
                    grid.reach[k] = NeighborList.clampedInt((reachFraction / grid.size[k]).rounded(.up), 1, count)
                }
            }
            // Stop when coarser bins would not help: one bin per cell along periodic axes, one bin along the others.
            // (The count is compared as a Double: each axis is capped, but the product need not fit in Int32.)
            let total = Double(grid.counts[0]) * Double(grid.counts[1]) * Double(grid.counts[2])
            if total <= binLimit || (0..<3).allSatisfy({ cell.periodic[$0] ? grid.perCell[$0] == 1 : grid.counts[$0] == 1 }) { return grid }
            target *= 1.26
        }
    }

    /// CSR of the copies of each owned atom, owned copy first, then ghosts in extended order.
    private mutating func buildCopies() {
        let n = atomCount, m = extendedCount
        var start = [Int32](repeating: 0, count: n + 1)
        for p in 0..<m { start[Int(source[p]) + 1] += 1 }
        for i in 0..<n { start[i + 1] += start[i] }
        var fill = start
        var list = [Int32](repeating: 0, count: m)
        ownedSlot = [Int32](repeating: 0, count: n)
        for p in 0..<m where imageOf[p] == 0 {
            let i = Int(source[p])
            ownedSlot[i] = Int32(p)
            list[Int(fill[i])] = Int32(p)
            fill[i] += 1
        }
        for p in 0..<m where imageOf[p] != 0 {
            let i = Int(source[p])
            list[Int(fill[i])] = Int32(p)
            fill[i] += 1
        }
        copyStart = start
        copies = list
    }

    /// Rows (dc, db, da range) of the half stencil: bin offsets that are lexicographically positive
    /// (dc, db, da) and whose bins can hold a point within the list cutoff of a point in the center bin.
    /// The distance bound is exact for orthogonal cells and conservative (max over axes) otherwise.
    private func halfStencil(grid: BinGrid, widths: [Double], orthogonal: Bool) -> [(Int, Int, Int, Int)] {
        let r = listCutoff
        let gap = (0..<3).map { k in grid.size[k] * widths[k] }  // real-space bin thickness
        func reachable(_ da: Int, _ db: Int, _ dc: Int) -> Bool {
            let d = [da, db, dc].enumerated().map { Double(max(0, abs($0.element) - 1)) * gap[$0.offset] }
            return orthogonal ? d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < r * r : max(d[0], d[1], d[2]) < r
        }
        var rows: [(Int, Int, Int, Int)] = []
        let (ra, rb, rc) = (grid.reach[0], grid.reach[1], grid.reach[2])
        for dc in 0...rc {
            for db in (dc == 0 ? 0 : -rb)...rb {
                let candidates = ((dc == 0 && db == 0) ? 1 : -ra)...ra
                let allowed = candidates.filter { reachable($0, db, dc) }
                if let low = allowed.first, let high = allowed.last { rows.append((dc, db, low, high)) }
            }
        }
        return rows
    }

    /// The half list. Pairs in different bins are found from the center whose bin offset to the
    /// other is lexicographically positive (half stencil); a periodic image of a pair has the
    /// opposite offset, so each physical pair is found once. Pairs within one bin use the atom
    /// rule: j > i, or j == i with a positive image shift.
    private mutating func buildHalfList(sortedBin: [Int32], stencil: [(Int, Int, Int, Int)], workers: Workers) {
        let cut2 = listCutoff * listCutoff
        let grid = bins
        let positive: [Bool] = (0..<(imageShifts.count / 3)).map { image in
            let a = imageShifts[3 * image], b = imageShifts[3 * image + 1], c = imageShifts[3 * image + 2]
            return a > 0 || (a == 0 && (b > 0 || (b == 0 && c > 0)))
        }
        let newCenters = (0..<extendedCount).filter { imageOf[$0] == 0 }.map { Int32($0) }
        let ca = grid.counts[0], cb = grid.counts[1], cc = grid.counts[2]
        var fullest = 0
        for b in 0..<grid.binCount { fullest = max(fullest, Int(grid.start[b + 1] - grid.start[b])) }
        let worstCase = fullest * (1 + stencil.reduce(0) { $0 + $1.3 - $1.2 + 1 })
        // Blocks of centers are listed independently (in parallel) into raw buffers and concatenated
        // in order, so the list is the same whatever the thread count.
        let blockCount = NeighborList.chunkCount
        var blockLists = [(UnsafeMutablePointer<Int32>?, Int)](repeating: (nil, 0), count: blockCount)
        var blockEnds = [[Int32]](repeating: [], count: blockCount)
        let centerCount = newCenters.count
        let expected = neighbors.count / blockCount + 1024
        // A big old list goes before the new one is made, so only one is ever held in full; a small
        // one is kept, with the last build's blocks, to be written over (no fresh pages).
        let small = neighbors.count > 0 && neighbors.count * MemoryLayout<Int32>.stride <= NeighborList.reuseLimit
        var old: PairIndexBuffer? = small ? neighbors : nil
        var spare: PairBlockScratch? = small ? blockScratch : nil
        neighbors = .empty
        blockScratch = nil
        if !isKnownUniquelyReferenced(&old) { old = nil }
        if !isKnownUniquelyReferenced(&spare) || spare?.blocks.count != blockCount { spare = nil }
        let spareBlocks = spare?.blocks ?? []
        var capacities = [Int](repeating: 0, count: blockCount)
        firstNeighbor = [0]
        // Stencil rows flat (dc, db, daLow, daHigh) for the inner loop.
        let rows = stencil.flatMap { [$0.0, $0.1, $0.2, $0.3] }
        capacities.withUnsafeMutableBufferPointer { capacityOut in
        blockLists.withUnsafeMutableBufferPointer { listsOut in
            blockEnds.withUnsafeMutableBufferPointer { endsOut in
                source.withUnsafeBufferPointer { src in
                    imageOf.withUnsafeBufferPointer { img in
                        extendedPositions.withUnsafeBufferPointer { xe in
                            grid.start.withUnsafeBufferPointer { start in
                                positive.withUnsafeBufferPointer { pos in
                                    rows.withUnsafeBufferPointer { rows in
                                        newCenters.withUnsafeBufferPointer { centers in
                                            sortedBin.withUnsafeBufferPointer { sortedBin in
                                                workers.forEach(blockCount) { block in
                                                    // Raw pointers in locals: the stores into `out` cannot alias them, so
                                                    // the loop keeps them in registers.
                                                    let src = src.baseAddress!, img = img.baseAddress!, xe = xe.baseAddress!
                                                    let start = start.baseAddress!, pos = pos.baseAddress!, rowCount = rows.count
                                                    let rows = rows.baseAddress!, centers = centers.baseAddress!, sortedBin = sortedBin.baseAddress!
                                                    let range = (centerCount * block / blockCount)..<(centerCount * (block + 1) / blockCount)
                                                    var capacity = spareBlocks.isEmpty ? max(expected, worstCase) : spareBlocks[block].capacity
                                                    var out = spareBlocks.isEmpty ? UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
                                                        : spareBlocks[block].pointer
                                                    var ends: [Int32] = []
                                                    ends.reserveCapacity(range.count)
                                                    var count = 0
                                                    for center in range {
                                                        let p = Int(centers[center])
                                                        let i = src[p]
                                                        let xi = xe[3 * p], yi = xe[3 * p + 1], zi = xe[3 * p + 2]
                                                        let bin = Int(sortedBin[p])
                                                        let a0 = bin % ca, b0 = (bin / ca) % cb, c0 = bin / (ca * cb)
                                                        // Room for the worst case of this center: every atom of every stencil bin.
                                                        if capacity - count < worstCase {
                                                            let grown = max(2 * capacity, count + worstCase)
                                                            let bigger = UnsafeMutablePointer<Int32>.allocate(capacity: grown)
                                                            bigger.update(from: out, count: count)
                                                            out.deallocate()
                                                            out = bigger
                                                            capacity = grown
                                                        }
                                                        // The center's own bin: j > i, or j == i with a positive image shift.
                                                        for q in Int(start[bin])..<Int(start[bin + 1]) {
                                                            let j = src[q]
                                                            guard q != p && (j > i || (j == i && pos[Int(img[q])])) else { continue }
                                                            let dx = xe[3 * q] - xi, dy = xe[3 * q + 1] - yi, dz = xe[3 * q + 2] - zi
                                                            if dx * dx + dy * dy + dz * dz < cut2 { out[count] = Int32(q); count += 1 }
                                                        }
                                                        // The half stencil, row by row.
                                                        for r in stride(from: 0, to: rowCount, by: 4) {
                                                            let c = c0 + rows[r], b = b0 + rows[r + 1]
                                                            guard c < cc && b >= 0 && b < cb else { continue }
                                                            let aLow = max(0, a0 + rows[r + 2]), aHigh = min(ca - 1, a0 + rows[r + 3])
                                                            guard aLow <= aHigh else { continue }
                                                            let row = (c * cb + b) * ca
                                                            // Branch-free: every candidate is written, kept only when inside
                                                            // (a quarter are, which a branch would mispredict).
                                                            for q in Int(start[row + aLow])..<Int(start[row + aHigh + 1]) {
                                                                let dx = xe[3 * q] - xi, dy = xe[3 * q + 1] - yi, dz = xe[3 * q + 2] - zi
                                                                out[count] = Int32(truncatingIfNeeded: q)
                                                                count &+= dx * dx + dy * dy + dz * dz < cut2 ? 1 : 0
                                                            }
                                                        }
                                                        ends.append(Int32(count))
                                                    }
                                                    listsOut[block] = (out, count)
                                                    capacityOut[block] = capacity
                                                    endsOut[block] = ends
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        }
        var first = [Int32](repeating: 0, count: centerCount + 1)
        var k = 0, offset: Int32 = 0
        for block in 0..<blockCount {
            for end in blockEnds[block] { k += 1; first[k] = offset + end }
            offset += Int32(blockLists[block].1)
        }
        centers = newCenters
        firstNeighbor = first
        // The blocks now own their buffers (a grown block freed its spare one): forget the spare's.
        spare?.blocks = []
        let keep = Int(offset) * MemoryLayout<Int32>.stride <= NeighborList.reuseLimit
        let kept = keep ? blockLists.enumerated().map { (pointer: $1.0!, capacity: capacities[$0]) } : []
        neighbors = .concatenating(&blockLists, reusing: keep ? old : nil, keepingBlocks: keep, workers: workers)
        if keep { blockScratch = PairBlockScratch(blocks: kept) }
    }

    /// Cuts the centers into `chunkCount` contiguous chunks of similar pair counts and records the
    /// extended range each touches.
    private mutating func buildChunks(workers: Workers) {
        let total = neighbors.count + centers.count
        var bounds = [0]
        var end = 0
        for k in 0..<NeighborList.chunkCount {
            let goal = total * (k + 1) / NeighborList.chunkCount
            while end < centers.count && Int(firstNeighbor[end]) + end < goal { end += 1 }
            if k == NeighborList.chunkCount - 1 { end = centers.count }
            bounds.append(end)
        }
        // The extended range each chunk touches, chunks on the workers.
        var result = [Chunk](repeating: Chunk(centers: 0..<0, touchedLow: 0, touchedHigh: -1), count: NeighborList.chunkCount)
        let list = neighbors
        centers.withUnsafeBufferPointer { centers in
            firstNeighbor.withUnsafeBufferPointer { first in
                list.withUnsafeBufferPointer { nbr in
                    result.withUnsafeMutableBufferPointer { out in
                        workers.forEach(out.count) { k in
                            var low = Int.max, high = -1
                            for c in bounds[k]..<bounds[k + 1] {
                                let p = Int(centers[c])
                                low = min(low, p); high = max(high, p)
                                for q in Int(first[c])..<Int(first[c + 1]) {
                                    let e = Int(nbr[q])
                                    low = min(low, e); high = max(high, e)
                                }
                            }
                            if high < 0 { low = 0; high = -1 }
                            out[k] = Chunk(centers: bounds[k]..<bounds[k + 1], touchedLow: low, touchedHigh: high)
                        }
                    }
                }
            }
        }
        chunks = result
    }
}
