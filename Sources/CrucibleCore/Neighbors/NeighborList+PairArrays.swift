extension NeighborList {
    /// Raw pointers to what a pair loop reads, valid only inside `withPairArrays`.
    public struct PairArrays {
        public let positions: UnsafePointer<Double>   // extended atoms, flat 3M
        public let species: UnsafePointer<Int32>      // extended atoms
        public let centers: UnsafePointer<Int32>
        public let firstNeighbor: UnsafePointer<Int32>
        public let neighbors: UnsafePointer<Int32>
    }

    /// Calls `body` with the list's arrays as raw pointers (no bounds checks, no retain/release in
    /// the loop); returns `empty` when the list has no pairs to loop over.
    @inline(__always)
    public func withPairArrays<R>(empty: R, _ body: (PairArrays) -> R) -> R {
        extendedPositions.withUnsafeBufferPointer { xb in
            extendedSpecies.withUnsafeBufferPointer { tb in
                centers.withUnsafeBufferPointer { cb in
                    firstNeighbor.withUnsafeBufferPointer { fb in
                        neighbors.withUnsafeBufferPointer { nb in
                            guard let x = xb.baseAddress, let t = tb.baseAddress, let c = cb.baseAddress,
                                  let f = fb.baseAddress, let n = nb.baseAddress else { return empty }
                            return body(PairArrays(positions: x, species: t, centers: c, firstNeighbor: f, neighbors: n))
                        }
                    }
                }
            }
        }
    }
}
