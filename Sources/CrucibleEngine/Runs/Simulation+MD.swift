extension Simulation {
    /// The integrator the deck asks for.
    func makeIntegrator(_ md: MDPlan) -> MDIntegrator {
        var ensemble = ThermodynamicState(temperature: 0)
        var thermostat: Thermostat? = nil
        switch md.thermostat {
        case .langevin(let temperature, let damping)?:
            ensemble.temperature = temperature
            thermostat = .langevin(damping: damping)
        case .csvr(let temperature, let tau)?:
            ensemble.temperature = temperature
            thermostat = .csvr(tau: tau)
        case nil:
            break
        }
        var barostat: Barostat? = nil
        if let b = md.barostat {
            ensemble.pressure = b.pressure
            let coupling: Barostat.Coupling
            switch b.coupling {
            case .isotropic: coupling = .isotropic
            case .anisotropic(let axes): coupling = .anisotropic(axes: axes.map { ["x", "y", "z"].firstIndex(of: $0.rawValue)! })
            }
            barostat = Barostat(coupling: coupling, tau: b.tau, compressibility: b.compressibility)
        }
        return MDIntegrator(timestep: md.timestep, ensemble: ensemble, thermostat: thermostat, barostat: barostat)
    }

    mutating func runMD(_ md: MDPlan) throws -> RunSummary {
        let steps = min(md.steps, options.maxSteps ?? md.steps)
        var integrator = makeIntegrator(md)
        var evaluator = makeEvaluator()
        var state = MDState(configuration: configuration, random: RandomStream(seed: plan.seed, stream: RandomStreams.dynamics))
        integrator.request = .all
        integrator.prepare(&state, evaluator: &evaluator)

        let thermo = try ThermoLog(plan: plan.output.thermo, options: options)
        let trajectory = try plan.output.trajectory.map {
            try TrajectoryOutput(plan: $0, configuration: state.configuration, deckText: plan.deckText, options: options)
        }
        defer { thermo.close(); try? trajectory?.close() }
        func observe() throws {
            let step = state.step
            let wantThermo = thermo.trigger.fires(atStep: step, lastStep: steps)
            let wantFrame = trajectory?.trigger.fires(atStep: step, lastStep: steps) ?? false
            guard wantThermo || wantFrame else { return }
            try GuardRails.check(state, step: step)
            let sample = ThermoSample(state: state, conserved: integrator.conservedEnergy(state))
            if wantThermo { thermo.record(sample) }
            if wantFrame { try trajectory?.record(sample, configuration: state.configuration, forces: state.potential.forces) }
        }
        try observe()
        var progress = Progress(total: steps, quiet: options.quiet)
        let neighborStart = evaluator.neighborSeconds, buildStart = evaluator.neighbors.buildCount
        for _ in 0..<steps {
            // Ask for energy and virial only when someone reads them after this step.
            let next = state.step + 1
            let observed = thermo.trigger.fires(atStep: next, lastStep: steps) || (trajectory?.trigger.fires(atStep: next, lastStep: steps) ?? false)
            integrator.request = observed ? .all : (integrator.barostat != nil ? [.forces, .virial] : [.forces])
            integrator.step(&state, evaluator: &evaluator)
            try observe()
            progress.update(step: state.step)
        }
        let loop = progress.elapsed
        configuration = state.configuration
        return RunSummary(steps: steps, atoms: configuration.count, loopSeconds: loop,
                          neighborSeconds: evaluator.neighborSeconds - neighborStart,
                          neighborBuilds: evaluator.neighbors.buildCount - buildStart, finalResult: state.potential)
    }
}
