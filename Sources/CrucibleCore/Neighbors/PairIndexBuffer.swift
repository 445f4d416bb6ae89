#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The neighbour indices of the half list: the largest array of a run (≈ 39 per atom for LJ), so it
/// is built without ever holding two copies. The list is built in blocks on the worker threads; the
/// blocks are then appended to one malloc'ed buffer grown with `realloc` (which moves pages rather
/// than copying them for large buffers), each block freed as soon as it is appended, so the peak is
/// one list plus one block instead of two lists. A rebuild writes over a buffer only when no other
/// copy of the `NeighborList` holds it (small lists, `concatenating(reusing:)`), else it makes a
/// new one, so sharing it between copies keeps value semantics.
public final class PairIndexBuffer: @unchecked Sendable, Equatable {
    public private(set) var count: Int
    /// Elements the allocation holds (≥ count).
    public let capacity: Int
    private let base: UnsafeMutablePointer<Int32>?

    private init(base: UnsafeMutablePointer<Int32>?, count: Int, capacity: Int? = nil) {
        self.base = base
        self.count = count
        self.capacity = capacity ?? count
    }

    public static let empty = PairIndexBuffer(base: nil, count: 0)

    public convenience init(_ values: [Int32]) {
        let base = values.isEmpty ? nil : UnsafeMutablePointer<Int32>.allocate(capacity: values.count)
        if let base { values.withUnsafeBufferPointer { base.initialize(from: $0.baseAddress!, count: values.count) } }
        self.init(base: base, count: values.count)
    }

    /// The blocks (buffers and counts) one after the other; every block is deallocated as soon as it
    /// is copied. The buffer is allocated at its final size but only the pages copied into become
    /// resident, so the peak is one list plus the blocks not copied yet; it is 2 MB aligned and
    /// advised for huge pages (where the system allows them), which saves most page faults. Blocks
    /// are copied on the workers.
    ///
    /// `reusing`: a buffer no one else holds, with room for the blocks: they are copied into it (no
    /// new pages, no page faults) and kept (`blocks` is left as it was), for small lists that are
    /// rebuilt often (`NeighborList.reuseLimit`).
    /// `keepingBlocks`: copy without freeing the blocks (the caller keeps them for the next build).
    public static func concatenating(_ blocks: inout [(UnsafeMutablePointer<Int32>?, Int)], reusing old: PairIndexBuffer? = nil,
                                     keepingBlocks: Bool = false, workers: Workers = .serial) -> PairIndexBuffer {
        var offsets = [0]
        for block in blocks { offsets.append(offsets.last! + block.1) }
        let count = offsets.last!
        if let old, old.capacity >= count, let base = old.base {
            blocks.withUnsafeBufferPointer { all in
                workers.forEach(all.count) { k in
                    guard let block = all[k].0 else { return }
                    (base + offsets[k]).update(from: block, count: all[k].1)
                }
            }
            old.count = count
            return old
        }
        guard count > 0 else {
            if !keepingBlocks { for block in blocks { block.0?.deallocate() } }
            blocks = []
            return .empty
        }
        let hugePage = 2 << 20
        let bytes = (count * MemoryLayout<Int32>.stride + hugePage - 1) / hugePage * hugePage
        guard let raw = aligned_alloc(hugePage, bytes) else {
            fatalError("out of memory for the neighbour list (\(count) pairs)")
        }
        #if canImport(Glibc)
        _ = madvise(raw, bytes, MADV_HUGEPAGE)
        #endif
        let base = raw.bindMemory(to: Int32.self, capacity: count)
        blocks.withUnsafeMutableBufferPointer { all in
            workers.forEach(all.count) { k in
                guard let block = all[k].0 else { return }
                (base + offsets[k]).update(from: block, count: all[k].1)
                if !keepingBlocks { block.deallocate() }
                all[k] = (nil, 0)
            }
        }
        blocks = []
        return PairIndexBuffer(base: base, count: count, capacity: bytes / MemoryLayout<Int32>.stride)
    }

    deinit { free(base) }

    @inline(__always) public subscript(_ k: Int) -> Int32 { base![k] }

    @inline(__always)
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Int32>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// A copy as an array (checkpoints).
    public var array: [Int32] { withUnsafeBufferPointer { Array($0) } }

    public static func == (l: PairIndexBuffer, r: PairIndexBuffer) -> Bool {
        l === r || (l.count == r.count && l.withUnsafeBufferPointer { a in r.withUnsafeBufferPointer { b in a.elementsEqual(b) } })
    }
}

/// The block buffers of the last half-list build, kept for the next one when the list is small
/// (`NeighborList.reuseLimit`): a rebuild then writes into pages that are already mapped instead of
/// faulting in fresh ones, which on two threads contend in the kernel. Owned by one list at a time
/// (a copy that finds it shared allocates its own).
final class PairBlockScratch: @unchecked Sendable {
    var blocks: [(pointer: UnsafeMutablePointer<Int32>, capacity: Int)]

    init(blocks: [(pointer: UnsafeMutablePointer<Int32>, capacity: Int)]) { self.blocks = blocks }

    deinit { for block in blocks { block.pointer.deallocate() } }
}
