import Testing
@testable import CrucibleCore

/// The two ways `ChunkBuffers.foldOntoOwners` sums chunk buffers onto atoms (through one array over
/// extended atoms for small systems, streaming for large ones) give the same bits: forces, virial,
/// per-atom scalars, with and without `adding`. Small cells (many ghosts per atom) included.
@Suite struct ChunkFoldTests {
    @Test(arguments: [(3, 0.4), (2, 0.7)])
    func streamingFoldEqualsTheArrayFold(repeats: Int, shear: Double) {
        var c = rattledCrystal(.fcc, a: 3.6, repeats: [repeats, repeats, repeats], symbols: ["Cu"], rattle: 0.2, seed: 3, shear: shear)
        var list = NeighborList(cutoff: 5.0, skin: 0.5)
        c.wrap()
        list.build(c, workers: Workers(threads: 2))
        #expect(list.extendedCount > 2 * list.atomCount)   // ghosts: several copies per atom
        var random = RandomStream(seed: 9)
        for width in [3, 1] {
            var buffers = ChunkBuffers()
            buffers.prepare(for: list, width: width)
            for k in buffers.buffers.indices { for j in buffers.buffers[k].indices { buffers.buffers[k][j] = random.normal() } }
            var streaming = buffers
            streaming.arrayLimit = 0
            let start = (0..<(width * c.count)).map { _ in random.normal() }
            for adding in [false, true] {
                var a = start, b = start
                var virialA = [Double](repeating: 0.5, count: 6), virialB = virialA
                buffers.foldOntoOwners(list, into: &a, adding: adding, virial: &virialA, wantVirial: width == 3, workers: Workers(threads: 2))
                streaming.foldOntoOwners(list, into: &b, adding: adding, virial: &virialB, wantVirial: width == 3, workers: .serial)
                #expect(a == b && a.map(\.bitPattern) == b.map(\.bitPattern), "width \(width), adding \(adding)")
                #expect(virialA.map(\.bitPattern) == virialB.map(\.bitPattern))
                #expect(a != start)
            }
        }
    }
}
