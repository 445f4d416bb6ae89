import CrucibleCore

/// Monte Carlo on the ML potential: energies of single atoms from their neighbourhoods (the list's
/// local query, with the species a trial would give), so a swap costs the environments of the two
/// atoms, not a full evaluation.
extension MLPotential: LocalEnergy {
    /// Buffers of the per-atom path; one per potential copy (the fast path) or per call (`localEnergy`).
    /// A class so the buffers can be handed to the per-atom routine; a copy of the potential that
    /// shares them (not uniquely referenced) makes its own before use.
    final class AtomBuffers: @unchecked Sendable {
        let pairs: SphericalExpansion.PairScratch
        let radialPairs: SphericalExpansion.PairScratch?
        let bispectrumPairs: SphericalExpansion.PairScratch?
        var coefficients: [Double], features: [Double], radial: [Double], hidden: [Double]
        /// The ν = 3 term's coefficients, features and coupling scratch (one entry without the term).
        var bispectrumCoefficients: [Double], bispectrumFeatures: [Double], coupling: [Double]
        /// The network's inputs, elements, energies and scratch for the affected atoms of a trial,
        /// evaluated together (`Network.Batched`).
        var networkInputs: [Double] = [], networkElements: [Int] = [], networkEnergies: [Double] = [], networkScratch: [Double] = []
        var vectors: [Double] = [0, 0, 0], species: [Int32] = [0]   // never empty: an isolated atom still has a base address
        /// The pair term's neighbours when its cutoff differs from the angular terms'.
        var pairVectors: [Double] = [0, 0, 0], pairSpecies: [Int32] = [0]
        init(_ potential: MLPotential) {
            pairs = SphericalExpansion.PairScratch(potential.spectrum.expansion)
            radialPairs = potential.radialExpansion.map { SphericalExpansion.PairScratch($0) }
            coefficients = [Double](repeating: 0, count: potential.spectrum.expansion.coefficientCount)
            features = [Double](repeating: 0, count: potential.spectrum.featureCount)
            radial = [Double](repeating: 0, count: max(1, potential.radialWidth))
            hidden = [Double](repeating: 0, count: potential.model.network?.scratchCount ?? 1)
            bispectrumPairs = potential.bispectrum.map { SphericalExpansion.PairScratch($0.expansion) }
            bispectrumCoefficients = [Double](repeating: 0, count: potential.bispectrum?.expansion.coefficientCount ?? 1)
            bispectrumFeatures = [Double](repeating: 0, count: potential.bispectrum?.featureCount ?? 1)
            coupling = [Double](repeating: 0, count: potential.bispectrum?.width ?? 1)
        }
    }

    /// The energy of atom i from its neighbourhood in `neighbors`, every atom taking the
    /// species `change` gives it (none: the list's species). `network: false` leaves the network out
    /// and appends the atom's network input and element to the buffers' batch instead.
    func atomEnergy(_ i: Int, neighbors: NeighborList, change: Evaluator.SpeciesChange?, buffers b: AtomBuffers,
                    network includeNetwork: Bool = true) -> Double {
        // Neighbours within the angular terms' cutoff, and (when it differs) within the pair term's.
        var count = 0, pairCount = 0
        let separate = separatePairRows
        let mainCutoff = model.settings.cutoff, pairCutoff = radialExpansion?.settings.cutoff ?? 0
        let main2 = mainCutoff * mainCutoff, pair2 = pairCutoff * pairCutoff
        neighbors.forEachNeighbor(ofAtom: i, within: cutoff) { q, dx, dy, dz, _ in
            let species = change?.newSpecies(of: Int(neighbors.source[q])) ?? neighbors.extendedSpecies[q]
            let d2 = dx * dx + dy * dy + dz * dz
            if !separate || d2 < main2 {
                if b.species.count <= count { b.species.append(0); b.vectors += [0, 0, 0] }
                b.vectors[3 * count] = dx; b.vectors[3 * count + 1] = dy; b.vectors[3 * count + 2] = dz
                b.species[count] = species
                count += 1
            }
            if separate && d2 < pair2 {
                if b.pairSpecies.count <= pairCount { b.pairSpecies.append(0); b.pairVectors += [0, 0, 0] }
                b.pairVectors[3 * pairCount] = dx; b.pairVectors[3 * pairCount + 1] = dy; b.pairVectors[3 * pairCount + 2] = dz
                b.pairSpecies[pairCount] = species
                pairCount += 1
            }
        }
        let species = change?.newSpecies(of: i) ?? neighbors.extendedSpecies[Int(neighbors.ownedSlot[i])]
        let m = modelIndex[Int(species)]
        return b.coefficients.withUnsafeMutableBufferPointer { c in
            b.vectors.withUnsafeBufferPointer { v in
                b.species.withUnsafeBufferPointer { s in
                    spectrum.expansion.accumulate(center: c.baseAddress!, species: Int(species), pairs: count,
                                                  vectors: v.baseAddress!, neighborSpecies: s.baseAddress!, scratch: b.pairs)
                    if let radial = radialExpansion {
                        b.radial.withUnsafeMutableBufferPointer { r in
                            if separate {
                                b.pairVectors.withUnsafeBufferPointer { pv in
                                    b.pairSpecies.withUnsafeBufferPointer { ps in
                                        radial.accumulate(center: r.baseAddress!, species: Int(species), pairs: pairCount,
                                                          vectors: pv.baseAddress!, neighborSpecies: ps.baseAddress!, scratch: b.radialPairs!)
                                    }
                                }
                            } else {
                                radial.accumulate(center: r.baseAddress!, species: Int(species), pairs: count,
                                                  vectors: v.baseAddress!, neighborSpecies: s.baseAddress!, scratch: b.radialPairs!)
                            }
                        }
                    }
                    if let bispectrum {
                        b.bispectrumCoefficients.withUnsafeMutableBufferPointer { c3 in
                            b.bispectrumFeatures.withUnsafeMutableBufferPointer { b3 in
                                b.coupling.withUnsafeMutableBufferPointer { t in
                                    bispectrum.expansion.accumulate(center: c3.baseAddress!, species: Int(species), pairs: count,
                                                                    vectors: v.baseAddress!, neighborSpecies: s.baseAddress!, scratch: b.bispectrumPairs!)
                                    bispectrum.centerFeatures(c3.baseAddress!, into: b3.baseAddress!, scratch: t.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
            return b.features.withUnsafeMutableBufferPointer { p in
                spectrum.centerFeatures(c.baseAddress!, into: p.baseAddress!)
                if !includeNetwork, let input = model.network?.input {
                    b.networkElements.append(m)
                    if input == .powerSpectrum { b.networkInputs.append(contentsOf: UnsafeBufferPointer(start: p.baseAddress!, count: spectrum.featureCount)) }
                    else { b.networkInputs.append(contentsOf: b.radial.prefix(radialWidth)) }
                }
                return b.radial.withUnsafeBufferPointer { r in
                    b.bispectrumFeatures.withUnsafeBufferPointer { b3 in
                        b.hidden.withUnsafeMutableBufferPointer { h in
                            atomEnergy(m, features: p.baseAddress!, featureGradient: nil,
                                       radial: radialExpansion == nil ? nil : r.baseAddress!, radialGradient: nil,
                                       bispectrum: bispectrum == nil ? nil : b3.baseAddress!, bispectrumGradient: nil, hidden: h.baseAddress!,
                                       network: includeNetwork)
                        }
                    }
                }
            }
        }
    }

    public func localEnergy(of atoms: UnsafeBufferPointer<Int>, neighbors: NeighborList) -> Double {
        let buffers = AtomBuffers(self)
        var total = 0.0
        for i in atoms { total += atomEnergy(i, neighbors: neighbors, change: nil, buffers: buffers) }
        return total
    }

    /// ΔE of `change`: the changed atoms and every atom within the cutoff of them, new energies
    /// against those cached at the last evaluation; the new ones are staged for `acceptSpeciesChange`.
    public mutating func speciesChangeEnergy(_ change: Evaluator.SpeciesChange, neighbors: NeighborList) -> Double? {
        let n = neighbors.atomCount
        guard scratch.atomEnergies.count == n else { return nil }
        if scratch.marks.count != n { scratch.marks = [Bool](repeating: false, count: n) }
        if scratch.atomBuffers == nil || !isKnownUniquelyReferenced(&scratch.atomBuffers!) { scratch.atomBuffers = AtomBuffers(self) }
        let buffers = scratch.atomBuffers!
        var affected = scratch.staged   // moved out (not copied: the scratch's copy is emptied next) to reuse its capacity
        scratch.staged = []
        affected.removeAll(keepingCapacity: true)
        var marks = scratch.marks
        scratch.marks = []
        change.forEachChange { atom, _ in
            if !marks[atom] { marks[atom] = true; affected.append((atom, 0)) }
            neighbors.forEachNeighbor(ofAtom: atom, within: cutoff) { q, _, _, _, _ in
                let j = Int(neighbors.source[q])
                if !marks[j] { marks[j] = true; affected.append((j, 0)) }
            }
        }
        // New energies of the affected atoms; the network runs on all of them at once.
        let batch = networkBatch
        buffers.networkInputs.removeAll(keepingCapacity: true)
        buffers.networkElements.removeAll(keepingCapacity: true)
        for k in affected.indices {
            let i = affected[k].atom
            marks[i] = false
            affected[k].energy = atomEnergy(i, neighbors: neighbors, change: change, buffers: buffers, network: batch == nil)
        }
        if let batch {
            let count = affected.count
            if buffers.networkEnergies.count < count { buffers.networkEnergies = [Double](repeating: 0, count: count) }
            if buffers.networkScratch.count < batch.scratchCount(count) { buffers.networkScratch = [Double](repeating: 0, count: batch.scratchCount(count)) }
            let elements = buffers.networkElements
            buffers.networkInputs.withUnsafeBufferPointer { x in
                buffers.networkEnergies.withUnsafeMutableBufferPointer { e in
                    buffers.networkScratch.withUnsafeMutableBufferPointer { t in
                        batch.evaluate(x.baseAddress!, count: count, element: { elements[$0] }, energies: e.baseAddress!, adding: nil, scratch: t.baseAddress!)
                    }
                }
            }
            for k in affected.indices { affected[k].energy += buffers.networkEnergies[k] }
        }
        var delta = 0.0
        for k in affected.indices { delta += affected[k].energy - scratch.atomEnergies[affected[k].atom] }
        scratch.marks = marks
        scratch.staged = affected
        return delta
    }

    public mutating func acceptSpeciesChange() {
        for (atom, energy) in scratch.staged { scratch.atomEnergies[atom] = energy }
        scratch.staged.removeAll(keepingCapacity: true)
    }

    /// Monte Carlo at positions moved since the last evaluation: the per-atom energies the fast
    /// path compares with, from an energy-only evaluation (no gradients).
    public mutating func prepareSpeciesChanges(_ configuration: Configuration, neighbors: NeighborList, workers: Workers) {
        var result = PotentialResult()
        result.reset(atomCount: configuration.count, perAtomEnergies: false)
        evaluate(configuration, neighbors: neighbors, request: .energy, workers: workers, into: &result)
    }
}
