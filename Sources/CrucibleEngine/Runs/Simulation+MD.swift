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

    /// The state to start from: fresh from the deck, or the deck's checkpoint (`--restart`).
    func initialState(_ integrator: MDIntegrator, evaluator: inout Evaluator) throws -> MDState {
        if options.restart {
            guard let checkpoint = plan.output.checkpoint else {
                throw InputError(file: plan.deckPath, key: "output.checkpoint", "--restart needs output.checkpoint in the deck")
            }
            let path = options.place(checkpoint.path)
            let record = try CheckpointFile.read(path)
            let state: MDState
            do { state = try MDState(from: record, as: "md/") } catch { throw InputError(file: path, "\(error)") }
            guard state.configuration.count == configuration.count, state.configuration.speciesTable.symbols == configuration.speciesTable.symbols else {
                throw InputError(file: path, "the checkpoint's atoms do not match the deck's system")
            }
            do {
                let neighbors = try NeighborList(from: record, as: "neighbors/")
                if neighbors.cutoff == evaluator.neighbors.cutoff && neighbors.skin == evaluator.neighbors.skin {
                    evaluator.neighbors = neighbors
                }
            } catch { throw InputError(file: path, "\(error)") }
            return state
        }
        var state = MDState(configuration: configuration, random: RandomStream(seed: plan.seed, stream: RandomStreams.dynamics))
        integrator.prepare(&state, evaluator: &evaluator)
        return state
    }

    mutating func runMD(_ md: MDPlan) throws -> RunSummary {
        let steps = min(md.steps, options.maxSteps ?? md.steps)
        var integrator = makeIntegrator(md)
        var evaluator = makeEvaluator()
        integrator.request = .all
        var state = try initialState(integrator, evaluator: &evaluator)
        let resumed = options.restart ? state.step : nil
        if let resumed, resumed > steps {
            throw InputError(file: plan.deckPath, key: "md.steps", "the checkpoint is at step \(resumed), beyond the \(steps) steps of this run")
        }

        let thermoRows = resumed.map { step in (0...step).filter { plan.output.thermo.every > 0 && ($0 % plan.output.thermo.every == 0 || $0 == steps) }.count }
        let thermo = try ThermoLog(plan: plan.output.thermo, options: options, keepRows: thermoRows)
        let trajectory: TrajectoryOutput? = try plan.output.trajectory.map {
            if let resumed { return try TrajectoryOutput(resuming: $0, afterStep: resumed, options: options) }
            return try TrajectoryOutput(plan: $0, configuration: state.configuration, deckText: plan.deckText, options: options)
        }
        defer { thermo.close(); try? trajectory?.close() }
        let checkpointTrigger = plan.output.checkpoint.map { Trigger.every($0.every) }
        let checkpointPath = plan.output.checkpoint.map { options.place($0.path) }

        func observe() throws {
            let step = state.step
            let wantThermo = thermo.trigger.fires(atStep: step, lastStep: steps)
            let wantFrame = trajectory?.trigger.fires(atStep: step, lastStep: steps) ?? false
            let wantCheckpoint = step > 0 && checkpointTrigger?.fires(atStep: step, lastStep: steps) == true
            guard wantThermo || wantFrame || wantCheckpoint else { return }
            // Nothing is written from a broken state: the last good checkpoint stays.
            try GuardRails.check(state, neighbors: evaluator.neighbors, target: integrator.ensemble.temperature)
            let sample = ThermoSample(state: state, conserved: integrator.conservedEnergy(state))
            if wantThermo { thermo.record(sample) }
            if wantFrame { try trajectory?.record(sample, configuration: state.configuration, forces: state.potential.forces) }
            if wantCheckpoint, let checkpointPath { try writeCheckpoint(state, to: checkpointPath, evaluator: &evaluator) }
        }
        if resumed == nil { try observe() }
        var progress = Progress(total: steps - state.step, quiet: options.quiet)
        let firstStep = state.step
        let neighborStart = evaluator.neighborSeconds, buildStart = evaluator.neighbors.buildCount
        while state.step < steps {
            // Ask for energy and virial only when someone reads them after this step.
            let next = state.step + 1
            let observed = thermo.trigger.fires(atStep: next, lastStep: steps) || (trajectory?.trigger.fires(atStep: next, lastStep: steps) ?? false)
                || checkpointTrigger?.fires(atStep: next, lastStep: steps) == true
            integrator.request = observed ? .all : (integrator.barostat != nil ? [.forces, .virial] : [.forces])
            integrator.step(&state, evaluator: &evaluator)
            try observe()
            progress.update(step: state.step - firstStep)
            if let signal = StopRequest.pending {
                if let checkpointPath, checkpointTrigger?.fires(atStep: state.step, lastStep: steps) != true {
                    try GuardRails.check(state, neighbors: evaluator.neighbors, target: integrator.ensemble.temperature)
                    try writeCheckpoint(state, to: checkpointPath, evaluator: &evaluator)
                }
                configuration = state.configuration
                throw RunInterrupted(signal: signal, step: state.step, checkpoint: checkpointPath)
            }
        }
        let loop = progress.elapsed
        configuration = state.configuration
        return RunSummary(steps: steps - firstStep, atoms: configuration.count, loopSeconds: loop,
                          neighborSeconds: evaluator.neighborSeconds - neighborStart,
                          neighborBuilds: evaluator.neighbors.buildCount - buildStart, finalResult: state.potential)
    }

    /// Saves the whole MD state atomically, with the neighbour list, so that a restarted run sums its
    /// forces in the same order and continues with the same bits.
    func writeCheckpoint(_ state: MDState, to path: String, evaluator: inout Evaluator) throws {
        var record = CheckpointRecord()
        state.save(into: &record, as: "md/")
        evaluator.neighbors.save(into: &record, as: "neighbors/")
        record.strings["deck"] = plan.deckText
        record.integers["format_version"] = [1]
        try CheckpointFile.write(record, to: path)
    }
}
