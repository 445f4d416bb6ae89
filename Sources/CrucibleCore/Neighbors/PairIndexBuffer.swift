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

    /// The blocks (buffers and counts) one after the other; every block is deallocated as it is
    /// appended.
    public static func concatenating(_ blocks: inout [(UnsafeMutablePointer<Int32>?, Int)]) -> PairIndexBuffer {
        var base: UnsafeMutableRawPointer? = nil
        var count = 0
        for k in blocks.indices {
            guard let block = blocks[k].0 else { continue }
            let n = blocks[k].1
            if n > 0 {
                guard let grown = realloc(base, (count + n) * MemoryLayout<Int32>.stride) else {
                    fatalError("out of memory for the neighbour list (\(count + n) pairs)")
                }
                base = grown
                (grown + count * MemoryLayout<Int32>.stride).copyMemory(from: block, byteCount: n * MemoryLayout<Int32>.stride)
                count += n
            }
            block.deallocate()
            blocks[k] = (nil, 0)
        }
        return PairIndexBuffer(base: base?.bindMemory(to: Int32.self, capacity: count), count: count)
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
