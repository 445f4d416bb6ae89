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
        return list.withPairArrays(empty: 0.0) { arrays in
            let x = arrays.positions, type = arrays.species, first = arrays.firstNeighbor
            let centers = arrays.centers, nbr = arrays.neighbors
            var e = 0.0
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
            return e
        }
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
