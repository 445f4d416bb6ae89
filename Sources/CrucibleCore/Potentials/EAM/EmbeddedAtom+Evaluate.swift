extension EmbeddedAtom {
    public func evaluate(_ configuration: Configuration, neighbors list: NeighborList, request: PotentialRequest,
                         workspace: inout Workspace, workers: Workers, into result: inout PotentialResult) {
        let chunkCount = list.chunks.count
        let n = configuration.count

        // Pass 1: densities on extended atoms, folded onto their owners.
        workspace.scalarBuffers.prepare(for: list, width: 1)
        workspace.scalarBuffers.buffers.withUnsafeMutableBufferPointer { rhoBuffers in
            workers.forEach(chunkCount) { c in
                let chunk = list.chunks[c]
                guard chunk.touchedCount > 0 else { return }
                let rho = rhoBuffers[c].withUnsafeMutableBufferPointer { $0.baseAddress! } - chunk.touchedLow
                if typeCount == 1 {
                    densityLoop(list, chunk.centers, rho, UniformElements(self))
                } else {
                    densityLoop(list, chunk.centers, rho, TypedElements(self))
                }
            }
        }
        workspace.scalarBuffers.sumPerExtendedAtom(list, into: &workspace.extendedScalar, workers: workers)
        list.foldOntoOwners(workspace.extendedScalar, width: 1, into: &workspace.density, workers: workers)

        // Embedding energies and slopes on owned atoms; energy summed in fixed blocks.
        if workspace.embeddingSlope.count != n { workspace.embeddingSlope = [Double](repeating: 0, count: n) }
        var blockEnergy = [Double](repeating: 0, count: NeighborList.chunkCount)
        let wantAtoms = request.contains(.perAtomEnergies)
        for i in 0..<n {
            let (f, df) = splines.embedding(elementOfType[Int(configuration.species[i])], workspace.density[i])
            workspace.embeddingSlope[i] = df
            blockEnergy[i * NeighborList.chunkCount / max(n, 1)] += f
            if wantAtoms { result.perAtomEnergies[i] += f }
        }
        list.spreadToExtended(workspace.embeddingSlope, into: &workspace.extendedSlope)

        // Pass 2: pair energies and forces.
        let slopes = workspace.extendedSlope  // a reference to the same storage: the loop only reads it
        var energies = slopes.withUnsafeBufferPointer { slope in
            let fp = slope.baseAddress!
            return forEachPairChunk(list, request: request, workspace: &workspace, workers: workers) { chunk, f, atomE in
                switch (typeCount == 1, request.needsEnergy) {
                case (true, true): return forceLoop(list, chunk.centers, fp, f, atomE, UniformElements(self), SwitchOn.self)
                case (true, false): return forceLoop(list, chunk.centers, fp, f, atomE, UniformElements(self), SwitchOff.self)
                case (false, true): return forceLoop(list, chunk.centers, fp, f, atomE, TypedElements(self), SwitchOn.self)
                case (false, false): return forceLoop(list, chunk.centers, fp, f, atomE, TypedElements(self), SwitchOff.self)
                }
            }
        }
        for k in 0..<chunkCount { energies[k] += blockEnergy[k] }
        finishPairEvaluation(list: list, chunkEnergies: energies, request: request, workspace: &workspace,
                             workers: workers, into: &result)
    }

    /// ρ_i += ρ_{j→i}(r), ρ_j += ρ_{i→j}(r) over a range of centers of the half list.
    @inline(__always)
    func densityLoop<Types: EAMElementTables>(_ list: NeighborList, _ range: Range<Int>, _ rho: UnsafeMutablePointer<Double>, _ types: Types) {
        let nr = splines.nr, rdr = splines.rdr, cut2 = splines.cutoffSquared
        splines.densityCoefficients.withUnsafeBufferPointer { kb in
            guard let k = kb.baseAddress else { return }
            list.withPairArrays(empty: ()) { arrays in
                let x = arrays.positions, type = arrays.species, first = arrays.firstNeighbor
                let centers = arrays.centers, nbr = arrays.neighbors
                for center in range {
                    let i = Int(centers[center])
                    let xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2]
                    let ti = type[i]
                    var rhoI = 0.0
                    for q in Int(first[center])..<Int(first[center + 1]) {
                        let j = Int(nbr[q])
                        let dx = xi - x[3 * j], dy = yi - x[3 * j + 1], dz = zi - x[3 * j + 2]
                        let r2 = dx * dx + dy * dy + dz * dz
                        guard r2 < cut2 else { continue }
                        let tj = type[j]
                        var p = r2.squareRoot() * rdr + 1.0
                        let m = p < Double(nr - 1) ? Int(p) : nr - 1
                        p -= Double(m)
                        p = p < 1.0 ? p : 1.0
                        let a = types.density(at: ti, from: tj) + 7 * m
                        let toI = ((k[a + 3] * p + k[a + 4]) * p + k[a + 5]) * p + k[a + 6]
                        rhoI += toI
                        if Types.oneElement {
                            rho[j] += toI
                        } else {
                            let b = types.density(at: tj, from: ti) + 7 * m
                            rho[j] += ((k[b + 3] * p + k[b + 4]) * p + k[b + 5]) * p + k[b + 6]
                        }
                    }
                    rho[i] += rhoI
                }
            }
        }
    }

    /// Forces (and energies) of the pair and embedding terms over a range of centers, as LAMMPS:
    /// ψ' = F'_i ρ'_{j→i} + F'_j ρ'_{i→j} + φ', f = −ψ'/r along the pair.
    @inline(__always)
    func forceLoop<Types: EAMElementTables, Energy: KernelSwitch>(
        _ list: NeighborList, _ range: Range<Int>, _ fp: UnsafePointer<Double>, _ f: UnsafeMutablePointer<Double>,
        _ atomE: UnsafeMutablePointer<Double>?, _ types: Types, _: Energy.Type
    ) -> Double {
        let nr = splines.nr, rdr = splines.rdr, cut2 = splines.cutoffSquared
        return splines.densityCoefficients.withUnsafeBufferPointer { kb in
            splines.pairCoefficients.withUnsafeBufferPointer { zb in
                guard let k = kb.baseAddress, let z = zb.baseAddress else { return 0.0 }
                return list.withPairArrays(empty: 0.0) { arrays in
                    let x = arrays.positions, type = arrays.species, first = arrays.firstNeighbor
                    let centers = arrays.centers, nbr = arrays.neighbors
                    var energy = 0.0
                    for center in range {
                        let i = Int(centers[center])
                        let xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2]
                        let ti = type[i]
                        let fpi = fp[i]
                        var fx = 0.0, fy = 0.0, fz = 0.0
                        for q in Int(first[center])..<Int(first[center + 1]) {
                            let j = Int(nbr[q])
                            let dx = xi - x[3 * j], dy = yi - x[3 * j + 1], dz = zi - x[3 * j + 2]
                            let r2 = dx * dx + dy * dy + dz * dz
                            guard r2 < cut2 else { continue }
                            let tj = type[j]
                            let r = r2.squareRoot()
                            var p = r * rdr + 1.0
                            let m = p < Double(nr - 1) ? Int(p) : nr - 1
                            p -= Double(m)
                            p = p < 1.0 ? p : 1.0
                            let a = types.density(at: ti, from: tj) + 7 * m      // ρ at i due to j
                            let rhoJtoI = (k[a] * p + k[a + 1]) * p + k[a + 2]
                            let rhoItoJ: Double
                            if Types.oneElement {
                                rhoItoJ = rhoJtoI
                            } else {
                                let b = types.density(at: tj, from: ti) + 7 * m  // ρ at j due to i
                                rhoItoJ = (k[b] * p + k[b + 1]) * p + k[b + 2]
                            }
                            let c = types.pair(ti, tj) + 7 * m
                            let z2p = (z[c] * p + z[c + 1]) * p + z[c + 2]
                            let z2 = ((z[c + 3] * p + z[c + 4]) * p + z[c + 5]) * p + z[c + 6]
                            let recip = 1.0 / r
                            let phi = z2 * recip
                            let phip = z2p * recip - phi * recip
                            let psip = fpi * rhoJtoI + fp[j] * rhoItoJ + phip
                            let fpair = -psip * recip
                            fx += dx * fpair; fy += dy * fpair; fz += dz * fpair
                            f[3 * j] -= dx * fpair; f[3 * j + 1] -= dy * fpair; f[3 * j + 2] -= dz * fpair
                            if Energy.isOn {
                                energy += phi
                                if let atomE { atomE[i] += 0.5 * phi; atomE[j] += 0.5 * phi }
                            }
                        }
                        f[3 * i] += fx; f[3 * i + 1] += fy; f[3 * i + 2] += fz
                    }
                    return energy
                }
            }
        }
    }

    public func energyOfEnvironments(_ atoms: [Int], configuration: Configuration, neighbors list: NeighborList) -> Double {
        var total = 0.0
        for a in atoms {
            let ta = Int(configuration.species[a])
            var rho = 0.0, pair = 0.0
            list.forEachNeighbor(ofAtom: a, within: cutoff) { q, _, _, _, r2 in
                guard r2 < splines.cutoffSquared else { return }
                let tq = Int(list.extendedSpecies[q])
                let r = r2.squareRoot()
                rho += splines.density(densityOffset[ta * typeCount + tq] / splines.rTableStride, r)
                pair += splines.pairPhi(pairOffset[ta * typeCount + tq] / splines.rTableStride, r).phi
            }
            total += splines.embedding(elementOfType[ta], rho).F + 0.5 * pair
        }
        return total
    }
}
