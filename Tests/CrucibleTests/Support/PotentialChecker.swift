import Testing
@testable import CrucibleCore

/// The shared checker every potential must pass: forces = −∇E (central differences), virial =
/// −∂E/∂ε (finite strain), per-atom energies sum to E, translation and rotation invariance,
/// bitwise equality for 1 and 2 threads, and local energy changes of a species swap equal to global ones.
struct PotentialChecker {
    var potential: any Potential
    var skin = 0.7
    var step = 1e-5
    /// Relative tolerance of the finite-difference comparisons.
    var tolerance = 1e-6

    func evaluate(_ configuration: Configuration, threads: Int = 1, request: PotentialRequest = .all) -> PotentialResult {
        var c = configuration
        var evaluator = Evaluator(potential: potential, skin: skin, threads: threads)
        return evaluator.evaluate(&c, request: request)
    }

    func energy(_ configuration: Configuration) -> Double { evaluate(configuration, request: .energy).energy }

    func check(_ configuration: Configuration, sampleAtoms: Int = 6, sourceLocation: SourceLocation = #_sourceLocation) {
        let reference = evaluate(configuration)
        let scale = max(1e-3, reference.forces.map(abs).max() ?? 0)

        // Forces against central differences of the energy.
        let atoms = stride(from: 0, to: configuration.count, by: max(1, configuration.count / sampleAtoms)).prefix(sampleAtoms)
        for i in atoms {
            for d in 0..<3 {
                var plus = configuration, minus = configuration
                plus.positions[3 * i + d] += step
                minus.positions[3 * i + d] -= step
                let numeric = -(energy(plus) - energy(minus)) / (2 * step)
                #expect(abs(numeric - reference.forces[3 * i + d]) <= tolerance * scale + 1e-9,
                        "force on atom \(i) axis \(d): analytic \(reference.forces[3 * i + d]) numeric \(numeric)",
                        sourceLocation: sourceLocation)
            }
        }

        // Virial against the energy under small homogeneous strain x → (1 + ε) x.
        let voigt = [(0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1)]
        let virialScale = max(1e-3, reference.virial.map(abs).max() ?? 0)
        for (k, (a, b)) in voigt.enumerated() {
            func strained(_ e: Double) -> Double {
                var strain = [1.0, 0, 0, 0, 1, 0, 0, 0, 1]
                strain[3 * a + b] += a == b ? e : e / 2
                if a != b { strain[3 * b + a] += e / 2 }
                return energy(deform(configuration, by: strain))
            }
            let numeric = -(strained(step) - strained(-step)) / (2 * step)
            #expect(abs(numeric - reference.virial[k]) <= tolerance * virialScale * 10 + 1e-8,
                    "virial \(k): analytic \(reference.virial[k]) numeric \(numeric)", sourceLocation: sourceLocation)
        }

        // Per-atom energies add up, except the global terms' (a bias has no per-atom split).
        let sum = reference.perAtomEnergies.reduce(0, +)
        let global = reference.extras.filter { $0.name.hasPrefix("bias.") }.reduce(0) { $0 + $1.value }
        #expect(abs(sum + global - reference.energy) <= 1e-10 * max(1, abs(reference.energy)), sourceLocation: sourceLocation)

        // Translation invariance.
        var moved = configuration
        for i in 0..<moved.count { moved.positions[3 * i] += 0.37; moved.positions[3 * i + 1] -= 1.91; moved.positions[3 * i + 2] += 2.3 }
        #expect(abs(energy(moved) - reference.energy) <= 1e-9 * max(1, abs(reference.energy)), sourceLocation: sourceLocation)

        // Rotation invariance: rotate the cell and the atoms together.
        let (ca, sa, cb, sb) = (0.8, 0.6, 0.28, 0.96)
        let rz = [ca, -sa, 0, sa, ca, 0, 0, 0, 1], rx = [1, 0, 0, 0, cb, -sb, 0, sb, cb]
        let rotated = deform(configuration, by: multiply(rx, rz))
        let rotatedResult = evaluate(rotated)
        #expect(abs(rotatedResult.energy - reference.energy) <= 1e-9 * max(1, abs(reference.energy)), sourceLocation: sourceLocation)

        // Thread-count independence, bitwise.
        let two = evaluate(configuration, threads: 2)
        #expect(two == reference, "2 threads differ from 1 thread", sourceLocation: sourceLocation)
    }

    /// Monte Carlo species changes through one evaluator, as a swap move makes them: swaps of two
    /// atoms (the first one a ↔ b) and single-atom transmutations, half accepted and half reverted.
    /// Each local ΔE must equal the global ΔE of an independent evaluation to 1e-10 eV, the list
    /// must never be rebuilt; the fast path (`speciesChangeEnergy`, cached per-atom state updated on
    /// accepted trials) must give the same ΔE; and at the end the evaluator's own evaluation must equal a fresh one
    /// bitwise (the list stayed valid).
    func checkSwap(_ configuration: Configuration, _ a: Int, _ b: Int, trials: Int = 1000, sourceLocation: SourceLocation = #_sourceLocation) {
        var c = configuration
        var evaluator = Evaluator(potential: potential, skin: skin)
        var energy = evaluator.evaluate(&c, request: .energy).energy
        let builds = evaluator.neighbors.buildCount
        // The fast path (changes from cached per-atom state) runs the same trials on its own evaluator.
        var fastC = configuration
        var fast = Evaluator(potential: potential, skin: skin)
        fast.evaluate(&fastC, request: .energy)
        fast.neighbors.prepareNeighborRows(fastC)   // as a Monte Carlo stage does: neighbours from the candidate rows
        var random = RandomStream(seed: 17)
        var accepted = 0, reverted = 0
        for trial in 0..<trials {
            var change: Evaluator.SpeciesChange
            if trial == 0 {
                change = .init(swapping: a, b, in: c)
            } else if trial % 4 == 3 {
                let i = Int(random.next() % UInt64(c.count))
                change = .init(atom: i, to: Int32((Int(c.species[i]) + 1) % c.speciesTable.count))
            } else {
                var i = 0, j = 0
                repeat { i = Int(random.next() % UInt64(c.count)); j = Int(random.next() % UInt64(c.count)) } while c.species[i] == c.species[j]
                change = .init(swapping: i, j, in: c)
            }
            let undo = change.inverse(in: c)
            let fastDelta = fast.potential.speciesChangeEnergy(change, neighbors: fast.neighbors)
            fast.apply(change, to: &fastC)
            guard let local = evaluator.applyLocally(change, to: &c) else {
                Issue.record("\(potential.name) offers no local energies", sourceLocation: sourceLocation)
                return
            }
            var fresh = Evaluator(potential: potential, skin: skin)
            var copy = c
            let global = fresh.evaluate(&copy, request: .energy).energy - energy
            #expect(abs(local - global) <= 1e-10, "trial \(trial): local ΔE \(local) vs global \(global)", sourceLocation: sourceLocation)
            #expect(fastDelta.map { abs($0 - global) <= 1e-10 } == true,
                    "trial \(trial): fast-path ΔE \(String(describing: fastDelta)) vs global \(global)", sourceLocation: sourceLocation)
            if trial % 2 == 0 {
                energy += global
                accepted += 1
                fast.acceptSpeciesChange()
            } else {
                evaluator.revert(undo, to: &c)
                fast.revert(undo, to: &fastC)
                reverted += 1
            }
        }
        #expect(accepted > 0 && reverted > 0 && c.species != configuration.species, sourceLocation: sourceLocation)
        #expect(evaluator.neighbors.buildCount == builds, "a species change rebuilt the list", sourceLocation: sourceLocation)
        var fresh = Evaluator(potential: potential, skin: skin)
        var copy = c
        #expect(evaluator.evaluate(&c, request: .all) == fresh.evaluate(&copy, request: .all),
                "after the trials the evaluator's list is not valid", sourceLocation: sourceLocation)
    }
}

/// Applies x → x·Mᵀ to the cell rows and the positions (M a 3×3 row-major matrix).
func deform(_ configuration: Configuration, by m: [Double]) -> Configuration {
    var c = configuration
    func apply(_ v: inout [Double], _ offset: Int) {
        let x = v[offset], y = v[offset + 1], z = v[offset + 2]
        for r in 0..<3 { v[offset + r] = m[3 * r] * x + m[3 * r + 1] * y + m[3 * r + 2] * z }
    }
    for r in 0..<3 { apply(&c.cell.matrix, 3 * r) }
    for i in 0..<c.count { apply(&c.positions, 3 * i) }
    return c
}

func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
    var r = [Double](repeating: 0, count: 9)
    for i in 0..<3 { for j in 0..<3 { for k in 0..<3 { r[3 * i + j] += a[3 * i + k] * b[3 * k + j] } } }
    return r
}

/// A rattled crystal with the given species pattern, for checks.
func rattledCrystal(_ kind: LatticeKind, a: Double, repeats: [Int], symbols: [String], rattle: Double, seed: UInt64,
                    shear: Double = 0) -> Configuration {
    let (cell0, positions0) = Lattice(kind: kind, a: a, repeats: repeats).build()
    var table = SpeciesTable()
    let indices = symbols.map { Int32(table.add($0)!) }
    var random = RandomStream(seed: seed)
    let species = (0..<(positions0.count / 3)).map { indices[$0 % indices.count] }
    var positions = positions0
    for k in positions.indices { positions[k] += rattle * (2 * random.uniform() - 1) }
    var configuration = Configuration(cell: cell0, positions: positions, species: species, speciesTable: table)
    if shear != 0 { configuration = deform(configuration, by: [1, shear, 0.5 * shear, 0, 1, 0.3 * shear, 0, 0, 1]) }
    return configuration
}
