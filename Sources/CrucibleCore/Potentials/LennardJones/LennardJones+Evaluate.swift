extension LennardJones {
    public func evaluate(_ configuration: Configuration, neighbors list: NeighborList, request: PotentialRequest,
                         workers: Workers, scratch: inout PairScratch, into result: inout PotentialResult) {
        let energies = forEachPairChunk(list, request: request, scratch: &scratch, workers: workers) { chunk, f, atomE in
            switch (typeCount == 1, request.needsEnergy) {
            case (true, true): return pairLoop(list, chunk.centers, f, atomE, UniformPairs(self), SwitchOn.self)
            case (true, false): return pairLoop(list, chunk.centers, f, atomE, UniformPairs(self), SwitchOff.self)
            case (false, true): return pairLoop(list, chunk.centers, f, atomE, TypedPairs(self), SwitchOn.self)
            case (false, false): return pairLoop(list, chunk.centers, f, atomE, TypedPairs(self), SwitchOff.self)
            }
        }
        finishPairEvaluation(list: list, chunkEnergies: energies, request: request, scratch: &scratch,
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
                        let fpair = pairs.forceOverR(t, r6inv: r6inv, r2inv: r2inv)
                        fx += dx * fpair; fy += dy * fpair; fz += dz * fpair
                        f[3 * j] -= dx * fpair; f[3 * j + 1] -= dy * fpair; f[3 * j + 2] -= dz * fpair
                        if Energy.isOn {
                            let pairE = pairs.energy(t, r6inv: r6inv)
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

    /// Per-atom energies of `atoms` (half of each pair energy), from the same pair formula as the
    /// force loop.
    public func localEnergy(of atoms: UnsafeBufferPointer<Int>, neighbors list: NeighborList) -> Double {
        let pairs = TypedPairs(self)
        var total = 0.0
        for a in atoms {
            let row = pairs.row(list.extendedSpecies[Int(list.ownedSlot[a])])
            list.forEachNeighbor(ofAtom: a, within: cutoff) { q, _, _, _, r2 in
                let t = pairs.index(row, list.extendedSpecies[q])
                if r2 < pairs.cutSquared(t) {
                    let r2inv = 1 / r2
                    total += 0.5 * pairs.energy(t, r6inv: r2inv * r2inv * r2inv)
                }
            }
        }
        return total
    }
}

extension LJPairParameters {
    /// F/r of the pair (multiply by the separation vector): 48ε σ¹²/r¹⁴ − 24ε σ⁶/r⁸.
    @inline(__always) func forceOverR(_ t: Int, r6inv: Double, r2inv: Double) -> Double {
        r6inv * (lj1(t) * r6inv - lj2(t)) * r2inv
    }

    /// Pair energy 4ε[(σ/r)¹² − (σ/r)⁶] − shift.
    @inline(__always) func energy(_ t: Int, r6inv: Double) -> Double {
        r6inv * (lj3(t) * r6inv - lj4(t)) - offset(t)
    }
}

/// Species-change energies: ΔE is the change of the pair terms of the changed atoms with their
/// neighbours (a pair of two changed atoms, or of an atom with its own image, counted once).
extension LennardJones {
    public mutating func speciesChangeEnergy(_ change: Evaluator.SpeciesChange, neighbors list: NeighborList) -> Double? {
        let pairs = TypedPairs(self)
        @inline(__always) func energy(_ row: Int, _ type: Int32, _ r2: Double) -> Double {
            let t = pairs.index(row, type)
            guard r2 < pairs.cutSquared(t) else { return 0 }
            let r2inv = 1 / r2
            return pairs.energy(t, r6inv: r2inv * r2inv * r2inv)
        }
        var delta = 0.0
        change.forEachChange { c, newC in
            let oldRow = pairs.row(list.extendedSpecies[Int(list.ownedSlot[c])]), newRow = pairs.row(newC)
            list.forEachNeighbor(ofAtom: c, within: cutoff) { q, _, _, _, r2 in
                let j = Int(list.source[q]), oldJ = list.extendedSpecies[q]
                if let newJ = change.newSpecies(of: j) {
                    delta += 0.5 * (energy(newRow, newJ, r2) - energy(oldRow, oldJ, r2))
                } else {
                    delta += energy(newRow, oldJ, r2) - energy(oldRow, oldJ, r2)
                }
            }
        }
        return delta
    }
}
