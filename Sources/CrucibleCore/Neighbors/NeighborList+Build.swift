extension NeighborList {
    /// Builds ghosts, bins, the half list, the copy index and the work chunks from scratch.
    /// Atoms should be wrapped into the cell first (`Configuration.wrap`).
    public mutating func build(_ configuration: Configuration) {
        let n = configuration.count
        let cell = configuration.cell
        let inv = cell.inverse
        let widths = cell.perpendicularWidths
        let rList = listCutoff
        atomCount = n

        // Fractional coordinates of the owned atoms.
        var frac = [Double](repeating: 0, count: 3 * n)
        for i in 0..<n {
            let x = configuration.positions[3 * i], y = configuration.positions[3 * i + 1], z = configuration.positions[3 * i + 2]
            for k in 0..<3 { frac[3 * i + k] = x * inv[k] + y * inv[3 + k] + z * inv[6 + k] }
        }

        // Extended region and image range per axis.
        var lower = [Double](repeating: 0, count: 3), upper = [Double](repeating: 1, count: 3)
        var imageRange = [0, 0, 0]
        for k in 0..<3 {
            if cell.periodic[k] {
                let reach = rList / widths[k]
                lower[k] = -reach
                upper[k] = 1 + reach
                imageRange[k] = Int((reach + 1).rounded(.up))
            } else {
                var lo = Double.infinity, hi = -Double.infinity
                for i in 0..<n { lo = min(lo, frac[3 * i + k]); hi = max(hi, frac[3 * i + k]) }
                if n == 0 { lo = 0; hi = 1 }
                let pad = 1e-9 + 1e-12 * abs(hi - lo)
                lower[k] = lo - pad
                upper[k] = max(hi + pad, lo + rList / widths[k])
            }
        }

        // Images: (0,0,0) first, then every shift in range; ghosts are the image copies inside the region.
        var shifts: [Int32] = [0, 0, 0]
        for na in -imageRange[0]...imageRange[0] {
            for nb in -imageRange[1]...imageRange[1] {
                for nc in -imageRange[2]...imageRange[2] where !(na == 0 && nb == 0 && nc == 0) {
                    shifts += [Int32(na), Int32(nb), Int32(nc)]
                }
            }
        }
        var extSource: [Int32] = []
        var extImage: [Int32] = []
        extSource.reserveCapacity(2 * n)
        extImage.reserveCapacity(2 * n)
        var keptShifts: [Int32] = []
        for image in 0..<(shifts.count / 3) {
            let sa = Double(shifts[3 * image]), sb = Double(shifts[3 * image + 1]), sc = Double(shifts[3 * image + 2])
            var used = false
            let newIndex = Int32(keptShifts.count / 3)
            for i in 0..<n {
                let a = frac[3 * i] + sa, b = frac[3 * i + 1] + sb, c = frac[3 * i + 2] + sc
                if image == 0 || (a >= lower[0] && a <= upper[0] && b >= lower[1] && b <= upper[1] && c >= lower[2] && c <= upper[2]) {
                    extSource.append(Int32(i))
                    extImage.append(newIndex)
                    used = true
                }
            }
            if used { keptShifts += [shifts[3 * image], shifts[3 * image + 1], shifts[3 * image + 2]] }
        }
        imageShifts = keptShifts.isEmpty ? [0, 0, 0] : keptShifts
        imageOffsets = [Double](repeating: 0, count: imageShifts.count)
        let m = extSource.count

        // Bins about half the list cutoff thick, at most ~2 per extended atom.
        var grid = BinGrid(lower: lower, upper: upper, widths: widths, listCutoff: rList,
                           target: 0.5 * rList, maxBins: 2 * m + 8)
        var binOf = [Int32](repeating: 0, count: m)
        var counts = [Int32](repeating: 0, count: grid.binCount + 1)
        for p in 0..<m {
            let i = Int(extSource[p]), s = 3 * Int(extImage[p])
            let (a, b, c) = grid.coordinates(frac[3 * i] + Double(imageShifts[s]),
                                             frac[3 * i + 1] + Double(imageShifts[s + 1]),
                                             frac[3 * i + 2] + Double(imageShifts[s + 2]))
            let bin = grid.index(a, b, c)
            binOf[p] = Int32(bin)
            counts[bin + 1] += 1
        }
        for b in 0..<grid.binCount { counts[b + 1] += counts[b] }
        grid.start = counts
        // Stable counting sort of extended atoms by bin.
        var fill = counts
        var order = [Int32](repeating: 0, count: m)
        for p in 0..<m {
            let bin = Int(binOf[p])
            order[Int(fill[bin])] = Int32(p)
            fill[bin] += 1
        }
        source = order.map { extSource[Int($0)] }
        imageOf = order.map { extImage[Int($0)] }
        let sortedBin = order.map { binOf[Int($0)] }
        extendedCount = m
        bins = grid
        extendedPositions = [Double](repeating: 0, count: 3 * m)
        extendedSpecies = source.map { configuration.species[Int($0)] }
        speciesAtBuild = configuration.species
        positionsAtBuild = configuration.positions
        cellAtBuild = cell
        refresh(configuration)

        buildCopies()
        buildHalfList(sortedBin: sortedBin)
        buildChunks()
        buildCount += 1
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

    /// The half list: for each owned copy (in extended order), the extended atoms within the list
    /// cutoff that form a canonical pair with it (see the type's documentation).
    private mutating func buildHalfList(sortedBin: [Int32]) {
        let m = extendedCount
        let cut2 = listCutoff * listCutoff
        let grid = bins
        // Shifts that are lexicographically positive.
        let positive: [Bool] = (0..<(imageShifts.count / 3)).map { image in
            let a = imageShifts[3 * image], b = imageShifts[3 * image + 1], c = imageShifts[3 * image + 2]
            return a > 0 || (a == 0 && (b > 0 || (b == 0 && c > 0)))
        }
        var newCenters: [Int32] = []
        newCenters.reserveCapacity(atomCount)
        var first: [Int32] = [0]
        first.reserveCapacity(atomCount + 1)
        var list: [Int32] = []
        list.reserveCapacity(neighbors.count > 0 ? neighbors.count + neighbors.count / 8 : 64 * atomCount)
        let ca = grid.counts[0], cb = grid.counts[1], cc = grid.counts[2]
        let ra = grid.reach[0], rb = grid.reach[1], rc = grid.reach[2]
        source.withUnsafeBufferPointer { src in
            imageOf.withUnsafeBufferPointer { img in
                extendedPositions.withUnsafeBufferPointer { xe in
                    grid.start.withUnsafeBufferPointer { start in
                        positive.withUnsafeBufferPointer { pos in
                            for p in 0..<m where img[p] == 0 {
                                let i = src[p]
                                let xi = xe[3 * p], yi = xe[3 * p + 1], zi = xe[3 * p + 2]
                                let bin = Int(sortedBin[p])
                                let a0 = bin % ca, b0 = (bin / ca) % cb, c0 = bin / (ca * cb)
                                for c in max(0, c0 - rc)...min(cc - 1, c0 + rc) {
                                    for b in max(0, b0 - rb)...min(cb - 1, b0 + rb) {
                                        let rowStart = (c * cb + b) * ca
                                        let lo = Int(start[rowStart + max(0, a0 - ra)])
                                        let hi = Int(start[rowStart + min(ca - 1, a0 + ra) + 1])
                                        for q in lo..<hi {
                                            let j = src[q]
                                            guard j > i || (j == i && pos[Int(img[q])]) else { continue }
                                            let dx = xe[3 * q] - xi, dy = xe[3 * q + 1] - yi, dz = xe[3 * q + 2] - zi
                                            if dx * dx + dy * dy + dz * dz < cut2 { list.append(Int32(q)) }
                                        }
                                    }
                                }
                                newCenters.append(Int32(p))
                                first.append(Int32(list.count))
                            }
                        }
                    }
                }
            }
        }
        centers = newCenters
        firstNeighbor = first
        neighbors = list
    }

    /// Cuts the centers into `chunkCount` contiguous chunks of similar pair counts and records the
    /// extended range each touches.
    private mutating func buildChunks() {
        let total = neighbors.count + centers.count
        var result: [Chunk] = []
        var begin = 0
        for k in 0..<NeighborList.chunkCount {
            let goal = total * (k + 1) / NeighborList.chunkCount
            var end = begin
            while end < centers.count && Int(firstNeighbor[end]) + end < goal { end += 1 }
            if k == NeighborList.chunkCount - 1 { end = centers.count }
            var low = Int.max, high = -1
            for c in begin..<end {
                let p = Int(centers[c])
                low = min(low, p); high = max(high, p)
                for q in Int(firstNeighbor[c])..<Int(firstNeighbor[c + 1]) {
                    let e = Int(neighbors[q])
                    low = min(low, e); high = max(high, e)
                }
            }
            if high < 0 { low = 0; high = -1 }
            result.append(Chunk(centers: begin..<end, touchedLow: low, touchedHigh: high))
            begin = end
        }
        chunks = result
    }
}
