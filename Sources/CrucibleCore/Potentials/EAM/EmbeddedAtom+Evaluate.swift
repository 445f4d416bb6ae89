extension EmbeddedAtom {
    public func evaluate(_ configuration: Configuration, neighbors list: NeighborList, request: PotentialRequest,
                         workers: Workers, scratch: inout EAMScratch, into result: inout PotentialResult) {
        let chunkCount = list.chunks.count
        let wantAtoms = request.contains(.perAtomEnergies)
        // After in-step species moves the densities prepared for them, moved on by each accepted
        // trial, are those of these positions and species: the first pass is not repeated.
        let densitiesCurrent = request.contains(.preparedState) && scratch.density.count == configuration.count
        let blockEnergy = result.perAtomEnergies.withUnsafeMutableBufferPointer { atomE in
            embed(configuration, list: list, workers: workers, scratch: &scratch, virial: &result.virial,
                  atomEnergies: wantAtoms ? atomE : nil, densitiesCurrent: densitiesCurrent)
        }
        list.spreadToExtended(scratch.embeddingSlope, into: &scratch.extendedSlope, workers: workers)

        // Pass 2: pair energies and forces.
        let slopes = scratch.extendedSlope  // a reference to the same storage: the loop only reads it
        var energies = slopes.withUnsafeBufferPointer { slope in
            let fp = slope.baseAddress!
            return forEachPairChunk(list, request: request, scratch: &scratch.pairs, workers: workers) { chunk, f, atomE in
                switch (typeCount == 1, request.needsEnergy) {
                case (true, true): return forceLoop(list, chunk.centers, fp, f, atomE, UniformElements(self), SwitchOn.self)
                case (true, false): return forceLoop(list, chunk.centers, fp, f, atomE, UniformElements(self), SwitchOff.self)
                case (false, true): return forceLoop(list, chunk.centers, fp, f, atomE, TypedElements(self), SwitchOn.self)
                case (false, false): return forceLoop(list, chunk.centers, fp, f, atomE, TypedElements(self), SwitchOff.self)
                }
            }
        }
        for k in 0..<chunkCount { energies[k] += blockEnergy[k] }
        finishPairEvaluation(list: list, chunkEnergies: energies, request: request, scratch: &scratch.pairs,
                             workers: workers, into: &result)
    }

    /// The first pass of an evaluation: ρ of every owned atom (densities on extended atoms folded
    /// onto their owners; skipped when `densitiesCurrent`), then F(ρ) and F'(ρ) per owned atom, with
    /// F summed per fixed block of atoms (returned) and added to `atomEnergies` when given.
    func embed(_ configuration: Configuration, list: NeighborList, workers: Workers, scratch: inout EAMScratch,
               virial: inout [Double], atomEnergies: UnsafeMutableBufferPointer<Double>?,
               densitiesCurrent: Bool = false) -> [Double] {
        if !densitiesCurrent { accumulateDensities(list: list, workers: workers, scratch: &scratch, virial: &virial) }
        return embedDensities(configuration, workers: workers, scratch: &scratch, atomEnergies: atomEnergies)
    }

    /// ρ of every owned atom into `scratch.density`: densities on extended atoms, folded onto their owners.
    func accumulateDensities(list: NeighborList, workers: Workers, scratch: inout EAMScratch, virial: inout [Double]) {
        let chunkCount = list.chunks.count
        scratch.pairs.scalarBuffers.prepare(for: list, width: 1, workers: workers)
        scratch.pairs.scalarBuffers.buffers.withUnsafeMutableBufferPointer { rhoBuffers in
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
        scratch.pairs.scalarBuffers.foldOntoOwners(list, into: &scratch.density, virial: &virial, wantVirial: false, workers: workers)
    }

    /// F(ρ) and F'(ρ) of every owned atom from `scratch.density` (see `embed`).
    func embedDensities(_ configuration: Configuration, workers: Workers, scratch: inout EAMScratch,
                        atomEnergies: UnsafeMutableBufferPointer<Double>?) -> [Double] {
        let n = configuration.count
        // Embedding energies and slopes on owned atoms, in the fixed blocks the energy is summed in.
        if scratch.embeddingSlope.count != n { scratch.embeddingSlope = [Double](repeating: 0, count: n) }
        if scratch.embeddingEnergy.count != n { scratch.embeddingEnergy = [Double](repeating: 0, count: n) }
        let blocks = NeighborList.chunkCount
        var blockEnergy = [Double](repeating: 0, count: blocks)
        let splines = self.splines, elementOfType = self.elementOfType
        configuration.species.withUnsafeBufferPointer { species in
            scratch.density.withUnsafeBufferPointer { rho in
                scratch.embeddingSlope.withUnsafeMutableBufferPointer { slope in
                    scratch.embeddingEnergy.withUnsafeMutableBufferPointer { embeddingE in
                        blockEnergy.withUnsafeMutableBufferPointer { blockE in
                            workers.forEach(blocks) { block in
                                // Atom i belongs to block i·blocks/n, as the serial sum assigned it.
                                let lo = (block * n + blocks - 1) / blocks, hi = ((block + 1) * n + blocks - 1) / blocks
                                var e = 0.0
                                for i in lo..<hi {
                                    let (f, df) = splines.embedding(elementOfType[Int(species[i])], rho[i])
                                    slope[i] = df
                                    embeddingE[i] = f
                                    e += f
                                    if let atomEnergies { atomEnergies[i] += f }
                                }
                                blockE[block] = e
                            }
                        }
                    }
                }
            }
        }
        return blockEnergy
    }

    /// Monte Carlo at positions moved since the last evaluation: the densities and embedding
    /// energies the fast path reads, from the first pass of an evaluation alone.
    public mutating func prepareSpeciesChanges(_ configuration: Configuration, neighbors: NeighborList, workers: Workers) {
        var scratch = EAMScratch()
        swap(&scratch, &self.scratch)
        var virial = [Double](repeating: 0, count: 6)
        _ = embed(configuration, list: neighbors, workers: workers, scratch: &scratch, virial: &virial, atomEnergies: nil)
        swap(&scratch, &self.scratch)
    }

    /// ρ_i += ρ_{j→i}(r), ρ_j += ρ_{i→j}(r) over a range of centers of the half list.
    @inline(__always)
    func densityLoop<Types: EAMElementTables>(_ list: NeighborList, _ range: Range<Int>, _ rho: UnsafeMutablePointer<Double>, _ types: Types) {
        let cut2 = splines.cutoffSquared
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
                        let (m, p) = splines.rKnot(r2.squareRoot())
                        let toI = EAMSplines.value(k, types.density(at: ti, from: tj) + 7 * m, p)
                        rhoI += toI
                        if Types.oneElement {
                            rho[j] += toI
                        } else {
                            rho[j] += EAMSplines.value(k, types.density(at: tj, from: ti) + 7 * m, p)
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
        let cut2 = splines.cutoffSquared
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
                            let (m, p) = splines.rKnot(r)
                            let rhoJtoI = EAMSplines.slope(k, types.density(at: ti, from: tj) + 7 * m, p)  // ρ' at i due to j
                            let rhoItoJ = Types.oneElement ? rhoJtoI : EAMSplines.slope(k, types.density(at: tj, from: ti) + 7 * m, p)
                            let recip = 1.0 / r
                            let (phi, phip) = EAMSplines.pair(z, types.pair(ti, tj) + 7 * m, p, recip: recip)
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

    /// Per-atom energies F(ρ_a) + ½ Σ φ of `atoms`, from the same spline evaluation as the force loops.
    public func localEnergy(of atoms: UnsafeBufferPointer<Int>, neighbors list: NeighborList) -> Double {
        var total = 0.0
        for a in atoms {
            let ta = Int(list.extendedSpecies[Int(list.ownedSlot[a])])
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
