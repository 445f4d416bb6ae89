/// Per-chunk accumulation buffers over the extended atoms a chunk touches, `width` values per atom.
/// Pair loops of chunk c write only into buffer c; `reduce` then sums the buffers in chunk order.
/// This is what makes threaded evaluations bitwise independent of the thread count.
public struct ChunkBuffers: Sendable {
    public private(set) var width = 3
    /// One flat buffer per chunk, covering extended atoms touchedLow...touchedHigh.
    public var buffers: [[Double]] = []
    var lows: [Int] = []

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

    /// Sums the chunk buffers per extended atom, each in chunk order: `extended` gets `width` values
    /// per extended atom.
    public func sumPerExtendedAtom(_ list: NeighborList, into extended: inout [Double], workers: Workers) {
        let w = width, m = list.extendedCount
        if extended.count != w * m {
            extended = [Double](repeating: 0, count: w * m)
        } else {
            extended.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
        let blockCount = NeighborList.chunkCount
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
    public func foldOntoOwners(_ extended: [Double], width w: Int, into result: inout [Double], adding: Bool = false, workers: Workers) {
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
    public func virial(extendedForces f: [Double], workers: Workers) -> [Double] {
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
