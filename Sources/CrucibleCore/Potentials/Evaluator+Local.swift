/// Local energy changes for Monte Carlo: the energy change of changing the species of one or two
/// atoms, from the per-atom energies of the atoms within the cutoff of them, in O(environment).
/// The neighbour list must be current for the positions (it is after any `evaluate`, and after an
/// MD step); species changes are applied to the configuration and to the list's copies of the
/// atoms together, so the list stays valid whether the trial is accepted or reverted, and no
/// rebuild or whole-list refresh is needed.
extension Evaluator {
    /// A change of species of one atom (semi-grand move) or two atoms (swap).
    public struct SpeciesChange: Sendable {
        public var first: (atom: Int, species: Int32)
        public var second: (atom: Int, species: Int32)?

        public init(atom: Int, to species: Int32) { first = (atom, species); second = nil }

        /// Exchanges the species of atoms a and b of `configuration`.
        public init(swapping a: Int, _ b: Int, in configuration: Configuration) {
            first = (a, configuration.species[b]); second = (b, configuration.species[a])
        }

        /// The species `atom` gets from this change, or nil when it does not change.
        @inline(__always)
        public func newSpecies(of atom: Int) -> Int32? {
            if atom == first.atom { return first.species }
            if let second, atom == second.atom { return second.species }
            return nil
        }

        /// Calls `body(atom, new species)` for each changed atom (no array is made: a trial allocates nothing).
        @inline(__always)
        public func forEachChange(_ body: (_ atom: Int, _ species: Int32) -> Void) {
            body(first.atom, first.species)
            if let second { body(second.atom, second.species) }
        }

        /// The change that undoes this one on `configuration` (call before applying).
        public func inverse(in configuration: Configuration) -> SpeciesChange { inverse(species: configuration.species) }

        /// The change back to `species` (the species of every atom before this change).
        public func inverse(species: [Int32]) -> SpeciesChange {
            var undo = SpeciesChange(atom: first.atom, to: species[first.atom])
            if let second { undo.second = (second.atom, species[second.atom]) }
            return undo
        }
    }

    /// Applies `change` to `configuration` and the list and returns the energy change (eV) from local
    /// environments, or nil when the potential has a global term (then nothing is changed).
    public mutating func applyLocally(_ change: SpeciesChange, to configuration: inout Configuration) -> Double? {
        guard let local else { return nil }
        preparedStateCurrent = false   // the potential's cached state does not follow this change
        collectEnvironment(of: change, atomCount: configuration.count, radius: local.cutoff)
        let before = environmentEnergy(local)
        writeSpecies(change, to: &configuration)
        return environmentEnergy(local) - before
    }

    /// Applies `change` without computing an energy. The potential's cached per-atom state does not
    /// follow, so the next evaluation computes it afresh (`revert` undoes a rejected trial instead).
    public mutating func apply(_ change: SpeciesChange, to configuration: inout Configuration) {
        preparedStateCurrent = false
        writeSpecies(change, to: &configuration)
    }

    /// Undoes the trial just rejected (`undo` = its inverse): the cached per-atom state never took
    /// that trial, so it stays current.
    public mutating func revert(_ undo: SpeciesChange, to configuration: inout Configuration) {
        writeSpecies(undo, to: &configuration)
    }

    private mutating func writeSpecies(_ change: SpeciesChange, to configuration: inout Configuration) {
        change.forEachChange { atom, species in
            configuration.species[atom] = species
            neighbors.setSpecies(species, ofAtom: atom)
        }
    }

    private mutating func environmentEnergy(_ local: any LocalEnergy) -> Double {
        localVisits += environmentAtoms.count
        return environmentAtoms.withUnsafeBufferPointer { local.localEnergy(of: $0, neighbors: neighbors) }
    }

    /// The changed atoms and every atom within `radius` of them, into `environmentAtoms`, reusing the
    /// scratch arrays.
    private mutating func collectEnvironment(of change: SpeciesChange, atomCount: Int, radius: Double) {
        if environmentMarks.count != atomCount { environmentMarks = [Bool](repeating: false, count: atomCount) }
        environmentAtoms.removeAll(keepingCapacity: true)
        change.forEachChange { atom, _ in
            localVisits += neighbors.addEnvironment(of: atom, radius: radius, marks: &environmentMarks, into: &environmentAtoms)
        }
        // Discovery order is fixed by the list, so before and after sums run in the same order.
        for i in environmentAtoms { environmentMarks[i] = false }
    }
}

extension Evaluator {
    /// The energy change of applying `change` (which is applied): from local environments when the
    /// potential offers them, else from two full evaluations (a global term: O(N) per trial).
    public mutating func energyChange(applying change: SpeciesChange, to configuration: inout Configuration) -> Double {
        if let delta = potential.speciesChangeEnergy(change, neighbors: neighbors) {
            writeSpecies(change, to: &configuration)
            return delta
        }
        // A slow path leaves the potential's cached state behind the species.
        preparedStateCurrent = false
        if let delta = applyLocally(change, to: &configuration) { return delta }
        let before = energyAtCurrentPositions(configuration)
        apply(change, to: &configuration)
        return energyAtCurrentPositions(configuration) - before
    }

    /// Tells the potential the last change whose energy it gave was accepted (its cached per-atom
    /// state moves on); a rejected change needs only `apply` of the inverse.
    public mutating func acceptSpeciesChange() { potential.acceptSpeciesChange() }

    /// Evaluates `configuration`, whose positions the list is current for (only species changed
    /// since the last evaluation), without updating the list: no rebuild check, no refresh, and the
    /// list's rebuild schedule is not advanced (a Monte Carlo stage does not count as a step).
    public mutating func evaluateAtCurrentPositions(_ configuration: Configuration, request: PotentialRequest,
                                                    into result: inout PotentialResult) {
        result.reset(atomCount: configuration.count, perAtomEnergies: request.contains(.perAtomEnergies))
        preparedStateCurrent = false
        potential.evaluate(configuration, neighbors: neighbors, request: request.subtracting(.preparedState),
                           workers: workers, into: &result)
        evaluations += 1
    }

    /// The total energy of `configuration` at the list's current positions (see above), eV.
    public mutating func energyAtCurrentPositions(_ configuration: Configuration) -> Double {
        var result = PotentialResult()
        evaluateAtCurrentPositions(configuration, request: .energy, into: &result)
        return result.energy
    }
}
