import Testing
@testable import CrucibleCore

@Suite struct IntegratorTests {
    func run(_ integrator: FixedStateIntegrator, _ configuration: Configuration, _ potential: any Potential, steps: Int,
             every: Int = 10, seed: UInt64 = 5, observe: (MDState) -> Void) {
        var state = MDState(configuration: configuration, random: RandomStream(seed: seed))
        var evaluator = Evaluator(potential: potential, skin: 1.0)
        integrator.prepare(&state, evaluator: &evaluator)
        for s in 1...steps {
            integrator.step(&state, evaluator: &evaluator)
            if s % every == 0 { observe(state) }
        }
    }

    @Test func maxwellBoltzmannHasExactTemperatureAndZeroMomentum() throws {
        let (c, _) = try TestSystems.argon(repeats: 3, temperature: 50)
        let state = MDState(configuration: c, random: RandomStream(seed: 1))
        #expect(abs(state.temperature - 50) < 1e-9)
        var p = [0.0, 0.0, 0.0]
        for i in 0..<c.count { for d in 0..<3 { p[d] += c.masses[i] * c.velocities[3 * i + d] } }
        #expect(p.allSatisfy { abs($0) < 1e-10 })
    }

    @Test func velocityVerletConservesEnergy() throws {
        let (c, lj) = try TestSystems.argon(repeats: 3, temperature: 40)
        let integrator = FixedStateIntegrator(timestep: 0.002, ensemble: ThermodynamicState(temperature: 40))
        var energies: [Double] = []
        var kinetic: [Double] = []
        run(integrator, c, lj, steps: 1000) { energies.append(integrator.conservedEnergy($0)); kinetic.append($0.configuration.kineticEnergy) }
        let spread = (energies.max()! - energies.min()!)
        let kineticSpread = kinetic.max()! - kinetic.min()!
        // Energy fluctuates far less than its parts exchange.
        #expect(spread < 0.01 * kineticSpread, "E spread \(spread) vs KE spread \(kineticSpread)")
    }

    @Test func verletErrorIsSecondOrderInTimestep() throws {
        let (c, lj) = try TestSystems.argon(repeats: 3, temperature: 40)
        func fluctuation(_ dt: Double) -> Double {
            let integrator = FixedStateIntegrator(timestep: dt, ensemble: ThermodynamicState(temperature: 40))
            var energies: [Double] = []
            run(integrator, c, lj, steps: Int((0.4 / dt).rounded()), every: 1) { energies.append(integrator.conservedEnergy($0)) }
            return energies.max()! - energies.min()!
        }
        let ratio = fluctuation(0.004) / fluctuation(0.002)
        #expect(ratio > 3 && ratio < 5, "halving dt should cut the energy error ~4×, got \(ratio)")
    }

    /// Canonical kinetic-energy distribution: mean (Nf/2) kT and variance (Nf/2)(kT)².
    func checkCanonicalKinetic(_ thermostat: Thermostat, degreesOfFreedom: (Int) -> Int) throws {
        let temperature = 60.0
        let (c, lj) = try TestSystems.argon(repeats: 2, temperature: temperature)
        let integrator = FixedStateIntegrator(timestep: 0.005, ensemble: ThermodynamicState(temperature: temperature), thermostat: thermostat)
        var samples: [Double] = []
        run(integrator, c, lj, steps: 40000, every: 5) { samples.append($0.configuration.kineticEnergy) }
        samples.removeFirst(samples.count / 10)
        let nf = Double(degreesOfFreedom(c.count)), kT = Units.boltzmann * temperature
        let mean = blockStatistics(samples)
        let squares = blockStatistics(samples.map { ($0 - 0.5 * nf * kT) * ($0 - 0.5 * nf * kT) })
        #expect(abs(mean.mean - 0.5 * nf * kT) < 4 * mean.error + 1e-12, "⟨K⟩ \(mean.mean) ± \(mean.error) vs \(0.5 * nf * kT)")
        #expect(abs(squares.mean - 0.5 * nf * kT * kT) < 4 * squares.error, "var K \(squares.mean) ± \(squares.error) vs \(0.5 * nf * kT * kT)")
        #expect(mean.error < 0.02 * 0.5 * nf * kT)
    }

    @Test func csvrSamplesCanonicalKineticEnergy() throws {
        try checkCanonicalKinetic(.csvr(tau: 0.1)) { 3 * $0 - 3 }
    }

    @Test func langevinSamplesCanonicalKineticEnergy() throws {
        // Langevin noise does not conserve momentum: all 3N degrees of freedom are thermal.
        try checkCanonicalKinetic(.langevin(damping: 0.2)) { 3 * $0 }
    }
}
