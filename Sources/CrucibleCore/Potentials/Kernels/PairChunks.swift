// The scaffolding every pair-style potential shares: run the kernel on each chunk of the half list
// (in parallel), then fold the chunk buffers onto the atoms in a fixed order.

extension Potential {
    /// Runs `body` on every chunk of the half list, on the worker threads, with the chunk's force
    /// buffer and (when per-atom energies are requested) energy buffer, both indexed by extended atom.
    /// Returns each chunk's energy, to be summed in chunk order.
    func forEachPairChunk(_ list: NeighborList, request: PotentialRequest, scratch: inout PairScratch, workers: Workers,
                          _ body: (NeighborList.Chunk, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>?) -> Double) -> [Double] {
        let wantAtoms = request.contains(.perAtomEnergies)
        scratch.chunkBuffers.prepare(for: list, width: 3, workers: workers)
        if wantAtoms { scratch.scalarBuffers.prepare(for: list, width: 1, workers: workers) }
        var energies = [Double](repeating: 0, count: list.chunks.count)
        energies.withUnsafeMutableBufferPointer { energyOut in
            scratch.chunkBuffers.buffers.withUnsafeMutableBufferPointer { forceBuffers in
                scratch.scalarBuffers.buffers.withUnsafeMutableBufferPointer { atomBuffers in
                    workers.forEach(list.chunks.count) { c in
                        let chunk = list.chunks[c]
                        guard chunk.touchedCount > 0 else { return }
                        let f = forceBuffers[c].withUnsafeMutableBufferPointer { $0.baseAddress! } - 3 * chunk.touchedLow
                        let atomE = wantAtoms ? atomBuffers[c].withUnsafeMutableBufferPointer { $0.baseAddress! } - chunk.touchedLow : nil
                        energyOut[c] = body(chunk, f, atomE)
                    }
                }
            }
        }
        return energies
    }

    /// Common tail of pair-style evaluations: reduces chunk buffers onto atoms, adds forces, virial,
    /// per-atom energies and the energy (chunk energies summed in chunk order) to `result`.
    func finishPairEvaluation(list: NeighborList, chunkEnergies: [Double], request: PotentialRequest,
                              scratch: inout PairScratch, workers: Workers, into result: inout PotentialResult) {
        var energy = 0.0
        for e in chunkEnergies { energy += e }
        result.energy += energy
        scratch.chunkBuffers.foldOntoOwners(list, into: &result.forces, adding: true, virial: &result.virial,
                                            wantVirial: request.contains(.virial), workers: workers)
        if request.contains(.perAtomEnergies) {
            scratch.scalarBuffers.foldOntoOwners(list, into: &result.perAtomEnergies, adding: true, virial: &result.virial,
                                                 wantVirial: false, workers: workers)
        }
    }
}

