/// Per-chunk accumulation buffers over the extended atoms a chunk touches, `width` values per atom.
/// Pair loops of chunk c write only into buffer c; `reduce` then sums the buffers in chunk order.
/// This is what makes threaded evaluations bitwise independent of the thread count.
public struct ChunkBuffers: Sendable {
    public private(set) var width = 3
    /// One flat buffer per chunk, covering extended atoms touchedLow...touchedHigh.
    public var buffers: [[Double]] = []
    var lows: [Int] = []
    /// The ghosts' folded values (`foldOntoOwners` of large systems), `width` per ghost.
    var ghostValues: [Double] = []
    /// The per-extended-atom sums (`foldOntoOwners` of small systems), `width` per extended atom.
    var extended: [Double] = []
    /// Most values (width × extended atoms) summed into one array: 16 MB of doubles.
    var arrayLimit = 2 << 20

    public init() {}

    /// Sizes and zeroes the buffers for `list` (keeps capacity between calls; zeroes on the workers).
    public mutating func prepare(for list: NeighborList, width: Int, workers: Workers = .serial) {
        self.width = width
        if buffers.count != list.chunks.count { buffers = Array(repeating: [], count: list.chunks.count) }
        lows = list.chunks.map(\.touchedLow)
        for (c, chunk) in list.chunks.enumerated() where buffers[c].count != max(0, chunk.touchedCount) * width {
            buffers[c] = [Double](repeating: 0, count: max(0, chunk.touchedCount) * width)
        }
        buffers.withUnsafeMutableBufferPointer { all in
            workers.forEach(all.count) { c in all[c].withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
        }
    }

    /// Folds the chunk buffers onto the owned atoms: `result[w·i + k]` gets (or, `adding`, gains)
    /// the sum over atom i's copies (owned copy first, then its ghosts in extended order) of each
    /// copy's value, a copy's value being the sum of the chunk buffers that cover it, in chunk order.
    /// With `wantVirial`, also adds Σ_p x_p ⊗ f_p over extended atoms to `virial` (width 3; Voigt,
    /// summed in the fixed blocks of extended atoms, each in extended order).
    ///
    /// Up to `arrayLimit` values the chunk buffers are summed into one array over extended atoms,
    /// which is then folded. Larger systems do not form it (3M doubles, as large as the positions of
    /// owners and ghosts): ghosts' values go to a per-ghost buffer first (ghosts are a sixth of a
    /// 1M-atom system's extended atoms but most of a 32k one's, hence the switch), then the values
    /// are made a slice of extended atoms at a time and folded where they are made. Both give every
    /// sum the same terms in the same order: the results are bitwise equal.
    public mutating func foldOntoOwners(_ list: NeighborList, into result: inout [Double], adding: Bool = false,
                                        virial: inout [Double], wantVirial: Bool, workers: Workers) {
        let w = width, n = list.atomCount, m = list.extendedCount
        if result.count != w * n { result = [Double](repeating: 0, count: w * n) }
        if w * m <= arrayLimit {
            ghostValues = []
            sumPerExtendedAtom(list, workers: workers)
            if wantVirial {
                let total = list.virial(extendedForces: extended, workers: workers)
                for k in 0..<6 { virial[k] += total[k] }
            }
            list.foldOntoOwners(extended, width: w, into: &result, adding: adding, workers: workers)
        } else {
            extended = []
            foldStreaming(list, into: &result, adding: adding, virial: &virial, wantVirial: wantVirial, workers: workers)
        }
    }

    /// The streaming fold of large systems (see `foldOntoOwners`).
    private mutating func foldStreaming(_ list: NeighborList, into result: inout [Double], adding: Bool,
                                        virial: inout [Double], wantVirial: Bool, workers: Workers) {
        let w = width, n = list.atomCount, m = list.extendedCount, blockCount = NeighborList.chunkCount
        if ghostValues.count != w * (m - n) { ghostValues = [Double](repeating: 0, count: w * (m - n)) }
        let counts = buffers.map { $0.count / w }, lows = self.lows, chunkCount = buffers.count
        // The chunk buffers' storage (not mutated during the call).
        let bases = buffers.map { $0.withUnsafeBufferPointer { $0.baseAddress } }
        let slice = 1024
        var partial = [Double](repeating: 0, count: 6 * blockCount)
        // Values of extended atoms lo..<hi into v (w each): zero, then each covering chunk in order.
        @inline(__always) func values(_ lo: Int, _ hi: Int, _ v: UnsafeMutablePointer<Double>) {
            v.update(repeating: 0, count: w * (hi - lo))
            for c in 0..<chunkCount {
                let cLo = max(lo, lows[c]), cHi = min(hi, lows[c] + counts[c])
                guard cLo < cHi, let base = bases[c] else { continue }
                let from = base + w * (cLo - lows[c]), to = v + w * (cLo - lo)
                for k in 0..<(w * (cHi - cLo)) { to[k] += from[k] }
            }
        }
        list.copyStart.withUnsafeBufferPointer { start in
            list.copies.withUnsafeBufferPointer { copies in
                list.source.withUnsafeBufferPointer { source in
                    list.imageOf.withUnsafeBufferPointer { imageOf in
                        // Ghosts first, one by one (a sixth of the atoms or fewer): the r-th ghost in
                        // copy order is copies[c], r = c − i − 1.
                        ghostValues.withUnsafeMutableBufferPointer { ghosts in
                            workers.forEach(blockCount) { block in
                                for i in (n * block / blockCount)..<(n * (block + 1) / blockCount) {
                                    for c in (Int(start[i]) + 1)..<Int(start[i + 1]) {
                                        let g = Int(copies[c]), v = ghosts.baseAddress! + w * (c - i - 1)
                                        for k in 0..<w { v[k] = 0 }
                                        for chunk in 0..<chunkCount {
                                            let offset = g - lows[chunk]
                                            guard offset >= 0 && offset < counts[chunk], let base = bases[chunk] else { continue }
                                            for k in 0..<w { v[k] += base[w * offset + k] }
                                        }
                                    }
                                }
                            }
                        }
                        ghostValues.withUnsafeBufferPointer { ghosts in
                            list.extendedPositions.withUnsafeBufferPointer { x in
                                result.withUnsafeMutableBufferPointer { out in
                                    partial.withUnsafeMutableBufferPointer { part in
                                        workers.forEach(blockCount) { block in
                                            withUnsafeTemporaryAllocation(of: Double.self, capacity: w * slice) { v in
                                                let v = v.baseAddress!
                                                var w0 = 0.0, w1 = 0.0, w2 = 0.0, w3 = 0.0, w4 = 0.0, w5 = 0.0
                                                let end = m * (block + 1) / blockCount
                                                for lo in stride(from: m * block / blockCount, to: end, by: slice) {
                                                    let hi = min(lo + slice, end)
                                                    values(lo, hi, v)
                                                    for p in lo..<hi {
                                                        let f = v + w * (p - lo)
                                                        if wantVirial {
                                                            let px = x[3 * p], py = x[3 * p + 1], pz = x[3 * p + 2]
                                                            w0 += px * f[0]; w1 += py * f[1]; w2 += pz * f[2]
                                                            w3 += py * f[2]; w4 += px * f[2]; w5 += px * f[1]
                                                        }
                                                        guard imageOf[p] == 0 else { continue }
                                                        let i = Int(source[p])
                                                        for k in 0..<w {
                                                            var sum = 0.0
                                                            sum += f[k]
                                                            for c in (Int(start[i]) + 1)..<Int(start[i + 1]) { sum += ghosts[w * (c - i - 1) + k] }
                                                            if adding { out[w * i + k] += sum } else { out[w * i + k] = sum }
                                                        }
                                                    }
                                                }
                                                let o = 6 * block
                                                part[o] = w0; part[o + 1] = w1; part[o + 2] = w2
                                                part[o + 3] = w3; part[o + 4] = w4; part[o + 5] = w5
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
        guard wantVirial else { return }
        var total = [Double](repeating: 0, count: 6)
        for block in 0..<blockCount { for k in 0..<6 { total[k] += partial[6 * block + k] } }
        for k in 0..<6 { virial[k] += total[k] }
    }

    /// Sums the chunk buffers per extended atom, each in chunk order, into `extended`.
    private mutating func sumPerExtendedAtom(_ list: NeighborList, workers: Workers) {
        let w = width, m = list.extendedCount
        if extended.count != w * m {
            extended = [Double](repeating: 0, count: w * m)
        } else {
            extended.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
        let blockCount = NeighborList.chunkCount
        let buffers = self.buffers, lows = self.lows
        extended.withUnsafeMutableBufferPointer { ext in
            guard let extBase = ext.baseAddress else { return }
            workers.forEach(blockCount) { block in
                let lo = m * block / blockCount, hi = m * (block + 1) / blockCount
                for c in 0..<buffers.count {
                    let cLo = max(lo, lows[c]), cHi = min(hi, lows[c] + buffers[c].count / w)
                    guard cLo < cHi else { continue }
                    buffers[c].withUnsafeBufferPointer { buf in
                        let shift = w * lows[c]
                        for k in (w * cLo)..<(w * cHi) { extBase[k] += buf[k - shift] }
                    }
                }
            }
        }
    }
}

extension NeighborList {
    /// Folds per-extended-atom values (`width` each) onto the owned atoms: owned copy first, then the
    /// ghosts in extended order, the same order whatever the thread count. `adding` adds the folded
    /// sums to `result` (which must then have the right size) instead of overwriting it.
    func foldOntoOwners(_ extended: [Double], width w: Int, into result: inout [Double], adding: Bool = false, workers: Workers) {
        let n = atomCount
        if result.count != w * n { result = [Double](repeating: 0, count: w * n) }
        let blockCount = NeighborList.chunkCount
        extended.withUnsafeBufferPointer { ext in
            copyStart.withUnsafeBufferPointer { start in
                copies.withUnsafeBufferPointer { copies in
                    result.withUnsafeMutableBufferPointer { out in
                        guard let outBase = out.baseAddress else { return }
                        workers.forEach(blockCount) { block in
                            for i in (n * block / blockCount)..<(n * (block + 1) / blockCount) {
                                for k in 0..<w {
                                    var sum = 0.0
                                    for c in Int(start[i])..<Int(start[i + 1]) { sum += ext[w * Int(copies[c]) + k] }
                                    if adding { outBase[w * i + k] += sum } else { outBase[w * i + k] = sum }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Copies one value per owned atom onto all its extended copies (in fixed blocks on the workers).
    public func spreadToExtended(_ owned: [Double], into extended: inout [Double], workers: Workers = .serial) {
        let m = extendedCount, blocks = NeighborList.chunkCount
        if extended.count != m { extended = [Double](repeating: 0, count: m) }
        owned.withUnsafeBufferPointer { o in
            source.withUnsafeBufferPointer { src in
                extended.withUnsafeMutableBufferPointer { e in
                    workers.forEach(blocks) { block in
                        for p in (m * block / blocks)..<(m * (block + 1) / blocks) { e[p] = o[Int(src[p])] }
                    }
                }
            }
        }
    }


    /// Virial Σ_p x_p ⊗ f_p over extended atoms (Voigt xx yy zz yz xz xy, eV), summed in fixed blocks.
    func virial(extendedForces f: [Double], workers: Workers) -> [Double] {
        let blockCount = NeighborList.chunkCount
        let m = extendedCount
        var partial = [Double](repeating: 0, count: 6 * blockCount)
        partial.withUnsafeMutableBufferPointer { part in
            let partBase = part.baseAddress!
            extendedPositions.withUnsafeBufferPointer { x in
                f.withUnsafeBufferPointer { f in
                    workers.forEach(blockCount) { block in
                        var w0 = 0.0, w1 = 0.0, w2 = 0.0, w3 = 0.0, w4 = 0.0, w5 = 0.0
                        for p in (m * block / blockCount)..<(m * (block + 1) / blockCount) {
                            let px = x[3 * p], py = x[3 * p + 1], pz = x[3 * p + 2]
                            let fx = f[3 * p], fy = f[3 * p + 1], fz = f[3 * p + 2]
                            w0 += px * fx; w1 += py * fy; w2 += pz * fz
                            w3 += py * fz; w4 += px * fz; w5 += px * fy
                        }
                        let o = 6 * block
                        partBase[o] = w0; partBase[o + 1] = w1; partBase[o + 2] = w2
                        partBase[o + 3] = w3; partBase[o + 4] = w4; partBase[o + 5] = w5
                    }
                }
            }
        }
        var total = [Double](repeating: 0, count: 6)
        for block in 0..<blockCount { for k in 0..<6 { total[k] += partial[6 * block + k] } }
        return total
    }
}
