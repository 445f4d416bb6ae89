/// Species-change energies from cached densities (the fast path of Monte Carlo, as LAMMPS's
/// `fix sgcmc` does for EAM): changing the species of atom c changes
///   - the pair terms of c with its neighbours,
///   - the density of every neighbour j of c by ρ_{j←c'}(r) − ρ_{j←c}(r), hence F_j(ρ_j),
///   - c's own embedding function and (for eam/fs, or with a changed neighbour) its density,
/// so ΔE needs c's neighbourhood and the densities of the last evaluation, not the neighbourhoods
/// of c's neighbours. Accepted changes update the cached densities; the next evaluation
/// recomputes them all.
extension EmbeddedAtom {
    public mutating func speciesChangeEnergy(_ change: Evaluator.SpeciesChange, configuration: Configuration,
                                             neighbors list: NeighborList) -> Double? {
        let n = configuration.count
        guard scratch.density.count == n else { return nil }
        var s = EAMScratch()
        swap(&s, &scratch)
        defer { swap(&s, &scratch) }
        if s.stagedSlot.count != n { s.stagedSlot = [Int32](repeating: -1, count: n) }
        for atom in s.stagedAtoms { s.stagedSlot[atom] = -1 }
        s.stagedAtoms.removeAll(keepingCapacity: true)
        s.stagedDensity.removeAll(keepingCapacity: true)

        let types = typeCount, stride = splines.rTableStride, cut2 = splines.cutoffSquared
        var pairChange = 0.0
        for (c, newC) in [(change.first.atom, change.first.species), change.second.map { ($0.atom, $0.species) } ?? (-1, 0)] where c >= 0 {
            let oldType = Int(configuration.species[c]), newType = Int(newC)
            var rhoNew = 0.0
            list.forEachNeighbor(ofAtom: c, within: cutoff) { q, _, _, _, r2 in
                guard r2 < cut2 else { return }
                let j = Int(list.source[q]), oldJ = Int(list.extendedSpecies[q])
                let r = r2.squareRoot()
                if let changedJ = change.newSpecies(of: j) {
                    // Both ends change (the other changed atom, or an image of c): half the pair from each end.
                    let newJ = Int(changedJ)
                    rhoNew += splines.density(densityOffset[newType * types + newJ] / stride, r)
                    pairChange += 0.5 * (splines.pairPhi(pairOffset[newType * types + newJ] / stride, r).phi
                                         - splines.pairPhi(pairOffset[oldType * types + oldJ] / stride, r).phi)
                } else {
                    rhoNew += splines.density(densityOffset[newType * types + oldJ] / stride, r)
                    pairChange += splines.pairPhi(pairOffset[newType * types + oldJ] / stride, r).phi
                        - splines.pairPhi(pairOffset[oldType * types + oldJ] / stride, r).phi
                    let delta = splines.density(densityOffset[oldJ * types + newType] / stride, r)
                        - splines.density(densityOffset[oldJ * types + oldType] / stride, r)
                    if s.stagedSlot[j] < 0 {
                        s.stagedSlot[j] = Int32(s.stagedAtoms.count)
                        s.stagedAtoms.append(j)
                        s.stagedDensity.append(s.density[j])
                    }
                    s.stagedDensity[Int(s.stagedSlot[j])] += delta
                }
            }
            if s.stagedSlot[c] < 0 {
                s.stagedSlot[c] = Int32(s.stagedAtoms.count)
                s.stagedAtoms.append(c)
                s.stagedDensity.append(rhoNew)
            } else {
                s.stagedDensity[Int(s.stagedSlot[c])] = rhoNew
            }
        }
        var embeddingChange = 0.0
        for (k, atom) in s.stagedAtoms.enumerated() {
            let oldType = Int(configuration.species[atom])
            let newType = change.newSpecies(of: atom).map { Int($0) } ?? oldType
            embeddingChange += splines.embedding(elementOfType[newType], s.stagedDensity[k]).F
                - splines.embedding(elementOfType[oldType], s.density[atom]).F
        }
        return embeddingChange + pairChange
    }

    public mutating func acceptSpeciesChange() {
        for (k, atom) in scratch.stagedAtoms.enumerated() { scratch.density[atom] = scratch.stagedDensity[k] }
    }
}
