/// Scratch memory of a pair-style term (per-chunk accumulation buffers and the arrays they are
/// reduced into), owned by the term so that evaluations do not allocate and terms do not share.
public struct PairScratch: ScratchMemory {
    var chunkBuffers = ChunkBuffers()
    var scalarBuffers = ChunkBuffers()
    var extended: [Double] = []
    var extendedScalar: [Double] = []

    public init() {}
}
