import Testing
@testable import CrucibleCore

/// Fixed-cell FIRE on a rattled two-species Lennard-Jones crystal.
@Suite struct FIREMinimizerTests {
    static func argonKrypton(_ table: SpeciesTable) throws -> LennardJones {
        try LennardJones(pairs: [.init("Ar", "Ar", epsilon: 0.0104, sigma: 3.40),
                                 .init("Kr", "Kr", epsilon: 0.0140, sigma: 3.65),
                                 .init("Ar", "Kr", epsilon: 0.0120, sigma: 3.52)],
                         cutoff: 8.5, shift: true, speciesTable: table)
    }

    static func rattled() -> Configuration {
        rattledCrystal(.fcc, a: 5.5, repeats: [3, 3, 3], symbols: ["Ar", "Kr"], rattle: 0.3, seed: 11, shear: 0.05)
    }

    @Test func convergesWithFallingEnergy() throws {
        var c = Self.rattled()
        let start = c
        var evaluator = Evaluator(potential: try Self.argonKrypton(c.speciesTable), skin: 0.5)
        var energies: [Double] = []
        let result = FIREMinimizer(maxForce: 1e-4, maxSteps: 5000).minimize(&c, evaluator: &evaluator) { progress, _ in
            energies.append(progress.energy)
        }
        #expect(result.converged && result.reason == .forceTolerance)
        #expect(result.maxForce <= 1e-4)
        #expect(energies.count == result.steps + 1)
        // FIRE is not a descent method, but it never climbs back above the start, ends at (within
        // noise of) the lowest energy it saw, and rises only rarely, by little.
        let first = energies[0], last = energies[energies.count - 1]
        #expect(energies.allSatisfy { $0 <= first })
        #expect(last <= energies.min()! + 1e-7)
        let rises = zip(energies, energies.dropFirst()).filter { $1 > $0 + 1e-12 }
        #expect(rises.count < energies.count / 10, "\(rises.count) rises in \(energies.count) steps")
        let largestRise = rises.map { $1 - $0 }.max() ?? 0
        #expect(largestRise < 0.05 * (first - last))
        // The cell is untouched, and the reported forces are the configuration's.
        #expect(c.cell == start.cell)
        var check = Evaluator(potential: try Self.argonKrypton(c.speciesTable), skin: 0.5)
        let f = check.evaluate(&c).forces
        var largest2 = 0.0
        for i in 0..<c.count {
            let norm2: Double = f[3 * i] * f[3 * i] + f[3 * i + 1] * f[3 * i + 1] + f[3 * i + 2] * f[3 * i + 2]
            largest2 = max(largest2, norm2)
        }
        let largest = largest2.squareRoot()
        #expect(abs(largest - result.maxForce) <= 1e-12)
        print("fixed cell FIRE: \(result.steps) steps, E \(first) → \(last) eV, max force \(result.maxForce) eV/Å, \(rises.count) rises")
    }

    @Test func stopsOnStepLimitAndOnEnergyChange() throws {
        var c = Self.rattled()
        var evaluator = Evaluator(potential: try Self.argonKrypton(c.speciesTable), skin: 0.5)
        let limited = FIREMinimizer(maxForce: 1e-8, maxSteps: 7).minimize(&c, evaluator: &evaluator)
        #expect(limited.reason == .maxSteps && !limited.converged && limited.steps == 7)

        c = Self.rattled()
        let byEnergy = FIREMinimizer(maxForce: 1e-12, energyChange: 1e-9, maxSteps: 20_000).minimize(&c, evaluator: &evaluator)
        #expect(byEnergy.reason == .energyChange && byEnergy.converged)
        #expect(byEnergy.maxForce < 1e-2)
    }

    @Test func largestStepIsLimited() throws {
        // A compressed crystal pushes atoms hard; no atom may move more than maxStep per step.
        var c = rattledCrystal(.fcc, a: 4.6, repeats: [2, 2, 2], symbols: ["Ar"], rattle: 0.4, seed: 5)
        var evaluator = Evaluator(potential: try Self.argonKrypton(c.speciesTable), skin: 2.0)
        var parameters = FIREParameters()
        parameters.maxStep = 0.05
        var previous: [Double]? = nil
        var largest = 0.0
        FIREMinimizer(maxForce: 1e-3, maxSteps: 50, parameters: parameters).minimize(&c, evaluator: &evaluator) { _, configuration in
            // Unwrapped displacement: compare fractional-corrected positions through images.
            var x = configuration.positions
            let h = configuration.cell.matrix
            for i in 0..<configuration.count { for d in 0..<3 { for k in 0..<3 {
                x[3 * i + d] += Double(configuration.images[3 * i + k]) * h[3 * k + d]
            } } }
            if let previous {
                for i in 0..<configuration.count {
                    let dx = x[3 * i] - previous[3 * i], dy = x[3 * i + 1] - previous[3 * i + 1], dz = x[3 * i + 2] - previous[3 * i + 2]
                    largest = max(largest, (dx * dx + dy * dy + dz * dz).squareRoot())
                }
            }
            previous = x
        }
        #expect(largest > 0.04 && largest <= 0.05 + 1e-12)
    }
}
