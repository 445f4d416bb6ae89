extension LennardJones {
    public func evaluate(_ configuration: Configuration, neighbors list: NeighborList, request: PotentialRequest,
                         workspace: inout Workspace, workers: Workers, into result: inout PotentialResult) {
        let energies = forEachPairChunk(list, request: request, workspace: &workspace, workers: workers) { chunk, f, atomE in
            switch (typeCount == 1, request.needsEnergy) {
            case (true, true): return pairLoop(list, chunk.centers, f, atomE, UniformPairs(self), SwitchOn.self)
            case (true, false): return pairLoop(list, chunk.centers, f, atomE, UniformPairs(self), SwitchOff.self)
            case (false, true): return pairLoop(list, chunk.centers, f, atomE, TypedPairs(self), SwitchOn.self)
            case (false, false): return pairLoop(list, chunk.centers, f, atomE, TypedPairs(self), SwitchOff.self)
            }
        }
        finishPairEvaluation(list: list, chunkEnergies: energies, request: request, workspace: &workspace,
                             workers: workers, into: &result)
    }

    /// The Lennard-Jones pair loop over a range of centers of the half list; forces and (optionally)
    /// per-atom energies are added at extended indices. Returns the energy of these pairs.
    @inline(__always)
    func pairLoop<Pairs: LJPairParameters, Energy: KernelSwitch>(
        _ list: NeighborList, _ range: Range<Int>, _ f: UnsafeMutablePointer<Double>,
        _ atomE: UnsafeMutablePointer<Double>?, _ pairs: Pairs, _: Energy.Type
    ) -> Double {
        var e = 0.0
        list.extendedPositions.withUnsafeBufferPointer { xb in
            list.extendedSpecies.withUnsafeBufferPointer { tb in
                list.neighbors.withUnsafeBufferPointer { nb in
                    list.firstNeighbor.withUnsafeBufferPointer { fb in
                        list.centers.withUnsafeBufferPointer { cb in
                            guard let x = xb.baseAddress, let type = tb.baseAddress, let first = fb.baseAddress,
                                  let centers = cb.baseAddress, let nbr = nb.baseAddress else { return }
                            for center in range {
                                let i = Int(centers[center])
                                let xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2]
                                let row = pairs.row(type[i])
                                var fx = 0.0, fy = 0.0, fz = 0.0
                                for k in Int(first[center])..<Int(first[center + 1]) {
                                    let j = Int(nbr[k])
                                    let dx = xi - x[3 * j], dy = yi - x[3 * j + 1], dz = zi - x[3 * j + 2]
                                    let r2 = dx * dx + dy * dy + dz * dz
                                    let t = pairs.index(row, type[j])
                                    if r2 < pairs.cutSquared(t) {
                                        let r2inv = 1 / r2
                                        let r6inv = r2inv * r2inv * r2inv
                                        let fpair = r6inv * (pairs.lj1(t) * r6inv - pairs.lj2(t)) * r2inv
                                        fx += dx * fpair; fy += dy * fpair; fz += dz * fpair
                                        f[3 * j] -= dx * fpair; f[3 * j + 1] -= dy * fpair; f[3 * j + 2] -= dz * fpair
                                        if Energy.isOn {
                                            let pairE = r6inv * (pairs.lj3(t) * r6inv - pairs.lj4(t)) - pairs.offset(t)
                                            e += pairE
                                            if let atomE { atomE[i] += 0.5 * pairE; atomE[j] += 0.5 * pairE }
                                        }
                                    }
                                }
                                f[3 * i] += fx; f[3 * i + 1] += fy; f[3 * i + 2] += fz
                            }
                        }
                    }
                }
            }
        }
        return e
    }

    public func energyOfEnvironments(_ atoms: [Int], configuration: Configuration, neighbors list: NeighborList) -> Double {
        var total = 0.0
        for a in atoms {
            let row = Int(configuration.species[a]) * typeCount
            list.forEachNeighbor(ofAtom: a, within: cutoff) { q, _, _, _, r2 in
                let t = row + Int(list.extendedSpecies[q])
                if r2 < cutSquared[t] {
                    let r6inv = 1 / (r2 * r2 * r2)
                    total += 0.5 * (r6inv * (lj3[t] * r6inv - lj4[t]) - offset[t])
                }
            }
        }
        return total
    }
}

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
