// The scaffolding every pair-style potential shares: run the kernel on each chunk of the half list
// (in parallel), then fold the chunk buffers onto the atoms in a fixed order.

extension Potential {
    /// Runs `body` on every chunk of the half list, on the worker threads, with the chunk's force
    /// buffer and (when per-atom energies are requested) energy buffer, both indexed by extended atom.
    /// Returns each chunk's energy, to be summed in chunk order.
    func forEachPairChunk(_ list: NeighborList, request: PotentialRequest, workspace: inout Workspace, workers: Workers,
                          _ body: (NeighborList.Chunk, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>?) -> Double) -> [Double] {
        let wantAtoms = request.contains(.perAtomEnergies)
        workspace.chunkBuffers.prepare(for: list, width: 3)
        if wantAtoms { workspace.scalarBuffers.prepare(for: list, width: 1) }
        var energies = [Double](repeating: 0, count: list.chunks.count)
        energies.withUnsafeMutableBufferPointer { energyOut in
            workspace.chunkBuffers.buffers.withUnsafeMutableBufferPointer { forceBuffers in
                workspace.scalarBuffers.buffers.withUnsafeMutableBufferPointer { atomBuffers in
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
                              workspace: inout Workspace, workers: Workers, into result: inout PotentialResult) {
        var energy = 0.0
        for e in chunkEnergies { energy += e }
        result.energy += energy
        workspace.chunkBuffers.sumPerExtendedAtom(list, into: &workspace.extended, workers: workers)
        if request.contains(.virial) {
            let w = list.virial(extendedForces: workspace.extended, workers: workers)
            for k in 0..<6 { result.virial[k] += w[k] }
        }
        list.foldOntoOwners(workspace.extended, width: 3, into: &workspace.owned, workers: workers)
        for k in 0..<result.forces.count { result.forces[k] += workspace.owned[k] }
        if request.contains(.perAtomEnergies) {
            workspace.scalarBuffers.sumPerExtendedAtom(list, into: &workspace.extendedScalar, workers: workers)
            list.foldOntoOwners(workspace.extendedScalar, width: 1, into: &workspace.ownedScalar, workers: workers)
            for k in 0..<result.perAtomEnergies.count { result.perAtomEnergies[k] += workspace.ownedScalar[k] }
        }
    }
}
