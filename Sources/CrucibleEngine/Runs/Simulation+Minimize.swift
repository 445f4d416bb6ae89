extension Simulation {
    mutating func runMinimization(_ minimize: MinimizePlan) throws -> RunSummary {
        let maxSteps = min(minimize.maxSteps, options.maxSteps ?? minimize.maxSteps)
        var cellRelaxation: CellRelaxation? = nil
        if let cell = minimize.cell {
            let coupling = CellRelaxation.Coupling(rawValue: cell.coupling.rawValue) ?? .anisotropic
            cellRelaxation = CellRelaxation(pressure: cell.pressure, coupling: coupling)
            try cellRelaxation?.validate(configuration.cell, file: plan.deckPath, key: "minimize.cell")
        }
        let minimizer = FIREMinimizer(maxForce: minimize.maxForce, energyChange: minimize.energyChange / Double(max(1, configuration.count)),
                                      maxSteps: maxSteps, cellRelaxation: cellRelaxation)
        var evaluator = makeEvaluator()
        var frameEvaluator = makeEvaluator()
        let thermo = try ThermoLog(plan: plan.output.thermo, options: options)
        let trajectory = try plan.output.trajectory.map {
            try TrajectoryOutput(plan: $0, configuration: configuration, deckText: plan.deckText, options: options)
        }
        defer { thermo.close(); try? trajectory?.close() }
        var outputError: Error? = nil
        var progress = Progress(total: maxSteps, quiet: options.quiet)
        let result = minimizer.minimize(&configuration, evaluator: &evaluator) { step, configuration in
            let sample = ThermoSample(minimization: step, configuration: configuration)
            if thermo.trigger.fires(atStep: step.step, lastStep: maxSteps) { thermo.record(sample) }
            if let trajectory, trajectory.trigger.fires(atStep: step.step, lastStep: maxSteps), outputError == nil {
                var c = configuration
                let forces = frameEvaluator.evaluate(&c, request: [.forces]).forces
                do { try trajectory.record(sample, configuration: configuration, forces: forces) } catch { outputError = error }
            }
            progress.update(step: step.step)
        }
        if let outputError { throw outputError }
        // The last state is always logged (the minimiser may stop between thermo steps).
        if !thermo.trigger.fires(atStep: result.steps, lastStep: maxSteps) {
            thermo.record(ThermoSample(minimization: result.final, configuration: configuration))
        }
        let final = evaluator.evaluate(&configuration)
        let stress = result.stress.map { $0 * Units.pressureToBar }
        if !options.quiet {
            print("minimisation: \(result.reason.rawValue) after \(result.steps) steps; E = \(result.energy) eV " +
                  "(\(result.energy / Double(configuration.count)) eV/atom), max force \(result.maxForce) eV/Å, " +
                  "stress \(stress.map { String(format: "%.4g", $0) }.joined(separator: " ")) bar, volume \(configuration.cell.volume) Å³")
        }
        return RunSummary(steps: result.steps, atoms: configuration.count, loopSeconds: progress.elapsed,
                          neighborSeconds: evaluator.neighborSeconds, neighborBuilds: evaluator.neighbors.buildCount, finalResult: final)
    }

    mutating func runSinglePoint() throws -> RunSummary {
        var evaluator = makeEvaluator()
        let result = evaluator.evaluate(&configuration)
        let state = MDState(configuration: configuration, random: RandomStream(seed: plan.seed))
        var s = state
        s.potential = result
        let thermo = try ThermoLog(plan: plan.output.thermo, options: options)
        let sample = ThermoSample(state: s, conserved: result.energy + configuration.kineticEnergy)
        thermo.record(sample)
        thermo.close()
        if let trajectoryPlan = plan.output.trajectory {
            let trajectory = try TrajectoryOutput(plan: trajectoryPlan, configuration: configuration, deckText: plan.deckText, options: options)
            try trajectory.record(sample, configuration: configuration, forces: result.forces)
            try trajectory.close()
        }
        return RunSummary(steps: 0, atoms: configuration.count, loopSeconds: 0, neighborSeconds: evaluator.neighborSeconds,
                          neighborBuilds: evaluator.neighbors.buildCount, finalResult: result)
    }
}
