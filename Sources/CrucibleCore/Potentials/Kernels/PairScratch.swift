/// Scratch memory of a pair-style term (per-chunk accumulation buffers, folded straight onto the
/// atoms), owned by the term so that evaluations do not allocate and terms do not share.
public struct PairScratch: ScratchMemory {
    var chunkBuffers = ChunkBuffers()
    var scalarBuffers = ChunkBuffers()

    public init() {}
}
