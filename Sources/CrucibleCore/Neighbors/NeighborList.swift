/// Verlet neighbour list over an *extended* set of atoms: every owned atom plus the periodic images
/// (ghosts) that lie within the list cutoff of the cell, sorted by spatial bin for cache locality.
///
/// Why extended atoms: the pair loops then need no minimum-image arithmetic, cutoffs larger than half
/// the cell (several images of one atom) just work, and the layout is the one a domain decomposition
/// across MPI ranks will use later.
///
/// The half list holds each physical pair once: center = owned copy of atom i, neighbour = any copy
/// of atom j. Pairs in different bins are taken from the side whose bin offset is positive (half
/// stencil; a periodic image of a pair has the opposite offset); pairs within one bin are kept when
/// j > i, or j == i with a positive image shift (see `NeighborList+Build.swift`).
/// Accumulations on extended atoms are summed per chunk and folded back onto their owners in a fixed
/// order (`ChunkBuffers.swift`), which keeps results independent of the thread count.
public struct NeighborList: Sendable {
    /// Largest interaction cutoff of the potentials using this list, Å.
    public let cutoff: Double
    /// Extra shell so the list stays valid while atoms move less than skin/2, Å.
    public let skin: Double
    public var listCutoff: Double { cutoff + skin }

    /// Number of owned atoms.
    public internal(set) var atomCount = 0
    /// Number of extended atoms (owned copies + ghosts).
    public internal(set) var extendedCount = 0
    /// Owned atom behind each extended atom.
    public internal(set) var source: [Int32] = []
    /// Image of each extended atom: index into `imageShifts`.
    public internal(set) var imageOf: [Int32] = []
    /// Integer lattice shifts (na, nb, nc) of the images in use, flat 3 per image; image 0 is (0,0,0).
    public internal(set) var imageShifts: [Int32] = [0, 0, 0]
    /// Cartesian offset of each image for the current cell, flat 3 per image.
    public internal(set) var imageOffsets: [Double] = [0, 0, 0]
    /// Positions of the extended atoms, Å, flat 3M; kept current by `refresh`.
    public internal(set) var extendedPositions: [Double] = []
    /// Species index of each extended atom.
    public internal(set) var extendedSpecies: [Int32] = []
    /// Extended index of the owned copy of each atom.
    public internal(set) var ownedSlot: [Int32] = []

    /// Half list in CSR form: centers are owned copies, in extended order.
    public internal(set) var centers: [Int32] = []
    public internal(set) var firstNeighbor: [Int32] = [0]
    public internal(set) var neighbors = PairIndexBuffer.empty

    /// All copies of each owned atom (CSR), owned copy first: for folding extended sums onto owners.
    public internal(set) var copyStart: [Int32] = [0]
    public internal(set) var copies: [Int32] = []

    /// Fixed partition of the centers into work chunks (independent of the thread count).
    public internal(set) var chunks: [Chunk] = []

    /// Spatial bins over the extended region, kept for local (full-neighbourhood) queries.
    var bins = BinGrid()
    /// Bin of each owned atom at build time.
    var ownedBin: [Int32] = []

    var positionsAtBuild: [Double] = []
    var cellAtBuild = Cell.orthorhombic(1, 1, 1)
    var speciesAtBuild: [Int32] = []
    /// How many times the list was built (for statistics and tests).
    public internal(set) var buildCount = 0
    /// Candidate neighbours of each owned atom for local queries (`prepareNeighborRows`): the extended
    /// atoms within cutoff + skin + 2δ of it when the rows were made, δ the largest displacement
    /// since the build (≤ skin/2), in bin-scan order; valid while `rowsBuild == buildCount`. Empty
    /// until a Monte Carlo stage asks for them; not checkpointed (made again after a restart).
    var rowStart: [Int32] = []
    var rows: [Int32] = []
    var rowsBuild = -1
    /// Look at the list every this many updates (LAMMPS `neigh_modify every`).
    public var rebuildEvery = 1
    /// Rebuild only when an atom moved more than skin/2 (true), or unconditionally every
    /// `rebuildEvery` updates (false; LAMMPS `check no`, fast but the user's responsibility).
    public var checkDisplacement = true
    public internal(set) var updatesSinceBuild = 0

    /// Chunks of centers evaluated as one task; fixed so that results do not depend on threads.
    public static let chunkCount = 8
    /// Lists up to this size (bytes of neighbour indices) keep their buffers from one build to the
    /// next (`PairBlockScratch`); larger ones free them, so a rebuild never holds two big lists.
    static let reuseLimit = 64 << 20
    /// The previous build's block buffers (small lists only).
    var blockScratch: PairBlockScratch?

    public struct Chunk: Sendable {
        /// Range of indices into `centers`.
        public var centers: Range<Int>
        /// Lowest and highest extended index any pair of this chunk touches.
        public var touchedLow: Int
        public var touchedHigh: Int
        public var touchedCount: Int { touchedHigh - touchedLow + 1 }
    }

    public init(cutoff: Double, skin: Double) {
        precondition(cutoff > 0 && skin >= 0)
        self.cutoff = cutoff
        self.skin = skin
    }

    public var pairCount: Int { neighbors.count }

    /// True when an atom (or, through a cell change, an image) may have moved more than skin/2 since
    /// the last build, or the number of atoms changed. (Species changes, as in swap Monte Carlo, need
    /// only a refresh.) The displacement scan runs in fixed blocks on the workers.
    public func needsRebuild(_ configuration: Configuration, workers: Workers = .serial) -> Bool {
        if buildCount == 0 || configuration.count != atomCount { return true }
        let half = 0.5 * skin
        // Ghosts move by S·ΔH on top of their owner's displacement.
        var cellShift = 0.0
        if configuration.cell != cellAtBuild {
            if configuration.cell.periodic != cellAtBuild.periodic { return true }
            var delta = [Double](repeating: 0, count: 9)
            for k in 0..<9 { delta[k] = configuration.cell.matrix[k] - cellAtBuild.matrix[k] }
            for image in 0..<(imageShifts.count / 3) {
                var d2 = 0.0
                for c in 0..<3 {
                    var d = 0.0
                    for r in 0..<3 { d += Double(imageShifts[3 * image + r]) * delta[3 * r + c] }
                    d2 += d * d
                }
                cellShift = max(cellShift, d2.squareRoot())
            }
            if cellShift >= half { return true }
        }
        let limit = (half - cellShift) * (half - cellShift)
        // Built without the check (no positions kept), and the check turned on since: rebuild.
        guard positionsAtBuild.count == 3 * configuration.count else { return true }
        return largestSquaredDisplacement(configuration, workers: workers) > limit
    }

    /// The largest |x_i − x_i at the build|² over the atoms (the build positions must be kept), in
    /// fixed blocks on the workers (a maximum: the same value for any thread count).
    func largestSquaredDisplacement(_ configuration: Configuration, workers: Workers = .serial) -> Double {
        let n = configuration.count, blocks = NeighborList.chunkCount
        var largest = [Double](repeating: 0, count: blocks)
        configuration.positions.withUnsafeBufferPointer { x in
            positionsAtBuild.withUnsafeBufferPointer { x0 in
                largest.withUnsafeMutableBufferPointer { out in
                    workers.forEach(blocks) { block in
                        var m = 0.0
                        for i in (n * block / blocks)..<(n * (block + 1) / blocks) {
                            let k = 3 * i
                            let dx = x[k] - x0[k], dy = x[k + 1] - x0[k + 1], dz = x[k + 2] - x0[k + 2]
                            m = max(m, dx * dx + dy * dy + dz * dz)
                        }
                        out[block] = m
                    }
                }
            }
        }
        return largest.max() ?? 0
    }

    /// Brings the extended positions (and species) up to date with the configuration without
    /// rebuilding, in fixed blocks of extended atoms on the workers.
    public mutating func refresh(_ configuration: Configuration, workers: Workers = .serial) {
        let h = configuration.cell.matrix
        let imageCount = imageShifts.count / 3
        for image in 0..<imageCount {
            for c in 0..<3 {
                imageOffsets[3 * image + c] = Double(imageShifts[3 * image]) * h[c]
                    + Double(imageShifts[3 * image + 1]) * h[3 + c] + Double(imageShifts[3 * image + 2]) * h[6 + c]
            }
        }
        let m = extendedCount, blocks = NeighborList.chunkCount
        configuration.positions.withUnsafeBufferPointer { x in
            imageOffsets.withUnsafeBufferPointer { offsets in
                source.withUnsafeBufferPointer { src in
                    imageOf.withUnsafeBufferPointer { img in
                        extendedPositions.withUnsafeMutableBufferPointer { xe in
                            workers.forEach(blocks) { block in
                                for p in (m * block / blocks)..<(m * (block + 1) / blocks) {
                                    let i = 3 * Int(src[p]), o = 3 * Int(img[p])
                                    xe[3 * p] = x[i] + offsets[o]
                                    xe[3 * p + 1] = x[i + 1] + offsets[o + 1]
                                    xe[3 * p + 2] = x[i + 2] + offsets[o + 2]
                                }
                            }
                        }
                    }
                }
            }
        }
        if configuration.species != speciesAtBuild {
            for p in 0..<m { extendedSpecies[p] = configuration.species[Int(source[p])] }
            speciesAtBuild = configuration.species
        }
    }

    /// Makes the list valid for `configuration`: rebuilds if needed (wrapping atoms into the cell
    /// first), else refreshes the extended positions. Returns true when it rebuilt.
    @discardableResult
    public mutating func update(_ configuration: inout Configuration, workers: Workers = .serial) -> Bool {
        updatesSinceBuild += 1
        let due = updatesSinceBuild >= rebuildEvery
        let rebuild: Bool
        if buildCount == 0 || configuration.count != atomCount || configuration.cell.periodic != cellAtBuild.periodic {
            rebuild = true
        } else if !due {
            rebuild = false
        } else {
            rebuild = checkDisplacement ? needsRebuild(configuration, workers: workers) : true
        }
        if rebuild {
            configuration.wrap()
            build(configuration, workers: workers)
            updatesSinceBuild = 0
            return true
        }
        refresh(configuration, workers: workers)
        return false
    }
}
