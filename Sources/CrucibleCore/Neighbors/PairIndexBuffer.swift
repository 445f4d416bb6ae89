#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The neighbour indices of the half list: the largest array of a run (≈ 39 per atom for LJ), so it
/// is built without ever holding two copies. The list is built in blocks on the worker threads; the
/// blocks are then appended to one malloc'ed buffer grown with `realloc` (which moves pages rather
/// than copying them for large buffers), each block freed as soon as it is appended, so the peak is
/// one list plus one block instead of two lists. The buffer never changes after it is built (a
/// rebuild makes a new one), so sharing it between copies of a `NeighborList` keeps value semantics.
public final class PairIndexBuffer: @unchecked Sendable, Equatable {
    public let count: Int
    private let base: UnsafeMutablePointer<Int32>?

    private init(base: UnsafeMutablePointer<Int32>?, count: Int) {
        self.base = base
        self.count = count
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
    public static func concatenating(_ blocks: inout [(UnsafeMutablePointer<Int32>?, Int)], workers: Workers = .serial) -> PairIndexBuffer {
        var offsets = [0]
        for block in blocks { offsets.append(offsets.last! + block.1) }
        let count = offsets.last!
        guard count > 0 else {
            for block in blocks { block.0?.deallocate() }
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
                block.deallocate()
                all[k] = (nil, 0)
            }
        }
        blocks = []
        return PairIndexBuffer(base: base, count: count)
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
