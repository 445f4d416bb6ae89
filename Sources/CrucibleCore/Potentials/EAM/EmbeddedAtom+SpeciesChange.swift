/// Species-change energies from cached densities (the fast path of Monte Carlo, as LAMMPS's
/// `fix sgcmc` does for EAM): changing the species of atom c changes
///   - the pair terms of c with its neighbours,
///   - the density of every neighbour j of c by ρ_{j←c'}(r) − ρ_{j←c}(r), hence F_j(ρ_j),
///   - c's own embedding function and (for eam/fs, or with a changed neighbour) its density,
/// so ΔE needs c's neighbourhood and the densities of the last evaluation, not the neighbourhoods
/// of c's neighbours. Accepted changes update the cached densities; the next evaluation
/// recomputes them all, except the step's own evaluation after in-step moves (`.preparedState`),
/// which starts from them.
extension EmbeddedAtom {
    public mutating func speciesChangeEnergy(_ change: Evaluator.SpeciesChange, neighbors list: NeighborList) -> Double? {
        let n = list.atomCount
        guard scratch.density.count == n, scratch.embeddingEnergy.count == n else { return nil }
        if scratch.stagedSlot.count != n {
            scratch.stagedSlot = [Int32](repeating: -1, count: n)
            scratch.stagedAtoms = [Int](repeating: 0, count: n)
            scratch.stagedDensity = [Double](repeating: 0, count: n)
            scratch.stagedEmbedding = [Double](repeating: 0, count: n)
            scratch.stagedType = [Int32](repeating: 0, count: n)
            scratch.stagedOldEmbedding = [Double](repeating: 0, count: n)
            scratch.stagedCount = 0
        }
        // The scratch moves out while the loops run, so `self` is only read (no copy of its tables).
        var scratch = EAMScratch()
        swap(&scratch, &self.scratch)
        defer { swap(&scratch, &self.scratch) }
        let types = typeCount, cut2 = splines.cutoffSquared
        var staged = scratch.stagedCount
        var pairChange = 0.0, embeddingChange = 0.0
        scratch.stagedSlot.withUnsafeMutableBufferPointer { slot in
        scratch.stagedAtoms.withUnsafeMutableBufferPointer { stagedAtoms in
        scratch.stagedDensity.withUnsafeMutableBufferPointer { stagedRho in
        scratch.density.withUnsafeBufferPointer { rho in
        scratch.embeddingEnergy.withUnsafeBufferPointer { embedding in
        scratch.stagedEmbedding.withUnsafeMutableBufferPointer { stagedF in
        scratch.stagedType.withUnsafeMutableBufferPointer { stagedType in
        scratch.stagedOldEmbedding.withUnsafeMutableBufferPointer { stagedOldF in
        splines.densityCoefficients.withUnsafeBufferPointer { densityTables in
        splines.pairCoefficients.withUnsafeBufferPointer { pairTables in
        list.source.withUnsafeBufferPointer { source in
        list.ownedSlot.withUnsafeBufferPointer { ownedSlot in
        list.extendedSpecies.withUnsafeBufferPointer { extendedSpecies in
            let kd = densityTables.baseAddress!, kz = pairTables.baseAddress!
            // The species of owned atom i (the list holds them, kept current by `Evaluator.apply`).
            @inline(__always) func speciesOf(_ i: Int) -> Int { Int(extendedSpecies[Int(ownedSlot[i])]) }
            // Forget the previous trial's staging.
            for k in 0..<staged { slot[stagedAtoms[k]] = -1 }
            staged = 0
            // An atom is staged with its species and F(ρ) before the change, read here, where the
            // neighbour loop's other loads overlap them, not in the embedding loop below (at 32,000
            // atoms those scattered reads were the largest single stall of a trial).
            func stage(_ atom: Int, _ value: Double, _ type: Int) -> Int {
                let k = staged
                slot[atom] = Int32(k); stagedAtoms[k] = atom; stagedRho[k] = value
                stagedType[k] = Int32(type); stagedOldF[k] = embedding[atom]
                staged += 1
                return k
            }
            change.forEachChange { c, newC in
                let oldType = speciesOf(c), newType = Int(newC)
                // When densities depend on the source only, c's density changes only through neighbours
                // that change too: start from the cached one (one spline fewer per neighbour).
                let ignoresTarget = densityIgnoresTarget
                var rhoNew = ignoresTarget ? rho[c] : 0.0
                list.forEachNeighbor(ofAtom: c, within: cutoff) { q, _, _, _, r2 in
                    guard r2 < cut2 else { return }
                    let j = Int(source[q]), oldJ = Int(extendedSpecies[q])
                    let r = r2.squareRoot()
                    // One knot lookup for every table at this distance (the spline formulas of EAMSplines).
                    let (m, p) = splines.rKnot(r)
                    let recip = 1 / r, knot = 7 * m
                    @inline(__always) func density(_ target: Int, _ source: Int) -> Double {
                        EAMSplines.value(kd, densityOffset[target * types + source] + knot, p)
                    }
                    @inline(__always) func pair(_ a: Int, _ b: Int) -> Double {
                        EAMSplines.value(kz, pairOffset[a * types + b] + knot, p) * recip
                    }
                    if let changedJ = change.newSpecies(of: j) {
                        // Both ends change (the other changed atom, or an image of c): half the pair from each end.
                        let newJ = Int(changedJ)
                        rhoNew += ignoresTarget ? density(newType, newJ) - density(oldType, oldJ) : density(newType, newJ)
                        pairChange += 0.5 * (pair(newType, newJ) - pair(oldType, oldJ))
                    } else {
                        if !ignoresTarget { rhoNew += density(newType, oldJ) }
                        pairChange += pair(newType, oldJ) - pair(oldType, oldJ)
                        let k = slot[j] >= 0 ? Int(slot[j]) : stage(j, rho[j], oldJ)
                        stagedRho[k] += density(oldJ, newType) - density(oldJ, oldType)
                    }
                }
                if slot[c] >= 0 { stagedRho[Int(slot[c])] = rhoNew } else { _ = stage(c, rhoNew, oldType) }
            }
            // F at the cached density is the evaluation's own F(ρ) (the same function of the same ρ).
            for k in 0..<staged {
                let atom = stagedAtoms[k]
                let oldType = Int(stagedType[k])
                let newType = change.newSpecies(of: atom).map { Int($0) } ?? oldType
                let f = splines.embeddingEnergy(elementOfType[newType], stagedRho[k])
                stagedF[k] = f
                embeddingChange += f - stagedOldF[k]
            }
        }
        }
        }
        }
        }
        }
        }
        }
        }
        }
        }
        }
        }
        scratch.stagedCount = staged
        return embeddingChange + pairChange
    }

    public mutating func acceptSpeciesChange() {
        for k in 0..<scratch.stagedCount {
            scratch.density[scratch.stagedAtoms[k]] = scratch.stagedDensity[k]
            scratch.embeddingEnergy[scratch.stagedAtoms[k]] = scratch.stagedEmbedding[k]
        }
    }
}
