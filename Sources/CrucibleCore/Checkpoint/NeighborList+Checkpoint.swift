/// The neighbour list is derived state, but its build history decides the order in which forces are
/// summed. A restart restores it whole, so the continued run sums in the same order, bit for bit.
extension NeighborList: Checkpointable {
    public func save(into record: inout CheckpointRecord, as prefix: String) {
        record.doubles[prefix + "cutoff_skin"] = [cutoff, skin]
        record.integers[prefix + "counters"] = [atomCount, extendedCount, buildCount, rebuildEvery, checkDisplacement ? 1 : 0,
                                                updatesSinceBuild].map(Int64.init)
        for (name, values) in int32Arrays { record.integers[prefix + name] = values.map(Int64.init) }
        record.integers[prefix + "chunks"] = chunks.flatMap { [$0.centers.lowerBound, $0.centers.upperBound, $0.touchedLow, $0.touchedHigh].map(Int64.init) }
        record.doubles[prefix + "bins_lower_size"] = bins.lower + bins.size
        record.integers[prefix + "bins_shape"] = (bins.counts + bins.perCell + bins.ghostLayers + bins.reach).map(Int64.init)
        record.integers[prefix + "bins_start"] = bins.start.map(Int64.init)
        record.doubles[prefix + "positions_at_build"] = positionsAtBuild
        record.doubles[prefix + "cell_at_build"] = cellAtBuild.matrix
        record.integers[prefix + "periodic_at_build"] = cellAtBuild.periodic.map { $0 ? 1 : 0 }
    }

    public init(from record: CheckpointRecord, as prefix: String) throws {
        let cutoffSkin = try record.doubles(prefix + "cutoff_skin")
        guard cutoffSkin.count == 2, cutoffSkin[0] > 0, cutoffSkin[1] >= 0 else { throw CheckpointError.malformed(prefix + "cutoff_skin", "") }
        self.init(cutoff: cutoffSkin[0], skin: cutoffSkin[1])
        let counters = try record.integers(prefix + "counters").map(Int.init)
        guard counters.count == 6 else { throw CheckpointError.malformed(prefix + "counters", "expected 6 values") }
        (atomCount, extendedCount, buildCount, rebuildEvery) = (counters[0], counters[1], counters[2], counters[3])
        checkDisplacement = counters[4] != 0
        updatesSinceBuild = counters[5]
        func int32(_ name: String) throws -> [Int32] { try record.integers(prefix + name).map { Int32(truncatingIfNeeded: $0) } }
        source = try int32("source"); imageOf = try int32("image_of"); imageShifts = try int32("image_shifts")
        extendedSpecies = try int32("extended_species"); ownedSlot = try int32("owned_slot"); centers = try int32("centers")
        firstNeighbor = try int32("first_neighbor"); neighbors = PairIndexBuffer(try int32("neighbors")); copyStart = try int32("copy_start")
        copies = try int32("copies"); ownedBin = try int32("owned_bin"); speciesAtBuild = try int32("species_at_build")
        let chunkValues = try record.integers(prefix + "chunks").map(Int.init)
        guard chunkValues.count % 4 == 0 else { throw CheckpointError.malformed(prefix + "chunks", "") }
        chunks = stride(from: 0, to: chunkValues.count, by: 4).map { k in
            Chunk(centers: chunkValues[k]..<chunkValues[k + 1], touchedLow: chunkValues[k + 2], touchedHigh: chunkValues[k + 3])
        }
        let lowerSize = try record.doubles(prefix + "bins_lower_size"), shape = try record.integers(prefix + "bins_shape").map(Int.init)
        guard lowerSize.count == 6, shape.count == 12 else { throw CheckpointError.malformed(prefix + "bins", "") }
        bins.lower = Array(lowerSize[0..<3]); bins.size = Array(lowerSize[3..<6])
        bins.counts = Array(shape[0..<3]); bins.perCell = Array(shape[3..<6])
        bins.ghostLayers = Array(shape[6..<9]); bins.reach = Array(shape[9..<12])
        bins.start = try int32("bins_start")
        positionsAtBuild = try record.doubles(prefix + "positions_at_build")
        cellAtBuild = Cell(matrix: try record.doubles(prefix + "cell_at_build"),
                           periodic: try record.integers(prefix + "periodic_at_build").map { $0 != 0 })
        imageOffsets = [Double](repeating: 0, count: imageShifts.count)
        extendedPositions = [Double](repeating: 0, count: 3 * extendedCount)
        guard source.count == extendedCount, imageOf.count == extendedCount, firstNeighbor.count == centers.count + 1,
              copyStart.count == atomCount + 1, positionsAtBuild.count == 3 * atomCount || (positionsAtBuild.isEmpty && !checkDisplacement),
              bins.start.count == bins.binCount + 1 else {
            throw CheckpointError.malformed(prefix, "inconsistent neighbour-list sizes")
        }
    }

    private var int32Arrays: [(String, [Int32])] {
        [("source", source), ("image_of", imageOf), ("image_shifts", imageShifts), ("extended_species", extendedSpecies),
         ("owned_slot", ownedSlot), ("centers", centers), ("first_neighbor", firstNeighbor), ("neighbors", neighbors.array),
         ("copy_start", copyStart), ("copies", copies), ("owned_bin", ownedBin), ("species_at_build", speciesAtBuild)]
    }
}
