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
        let console = Console(quiet: options.quiet)
        console.row(ThermoLog.terminalHeader(plan.output.thermo.columns, symbols: configuration.speciesTable.symbols, variables: plan.collectiveVariableNames, labelled: false))
        let thermo = try ThermoLog(plan: plan.output.thermo, symbols: configuration.speciesTable.symbols, variables: plan.collectiveVariableNames, path: plan.output.thermo.path.map { options.place($0) }, console: console)
        let thermoTrigger = Trigger.every(plan.output.thermo.every)
        let trajectoryTrigger = plan.output.trajectory.map { Trigger.every($0.every) }
        let trajectory = try plan.output.trajectory.map {
            try TrajectoryOutput(plan: $0, path: options.place($0.path), configuration: configuration, deckText: plan.deckText)
        }
        defer { thermo.close(); try? trajectory?.close() }
        var outputError: Error? = nil
        console.startProgress(total: maxSteps, replicas: 1)
        let result = minimizer.minimize(&configuration, evaluator: &evaluator) { step, configuration in
            let sample = ThermoSample(minimization: step, configuration: configuration)
            if thermoTrigger.fires(atStep: step.step, lastStep: maxSteps) { thermo.record(sample) }
            if let trajectory, trajectoryTrigger?.fires(atStep: step.step, lastStep: maxSteps) == true, outputError == nil {
                var c = configuration
                let forces = frameEvaluator.evaluate(&c, request: [.forces]).forces
                do { try trajectory.record(sample, replica: 0, configuration: configuration, forces: forces) } catch { outputError = error }
            }
            console.progress(step.step)
        }
        if let outputError { throw outputError }
        // The last state is always logged (the minimiser may stop between thermo steps).
        if !thermoTrigger.fires(atStep: result.steps, lastStep: maxSteps) {
            thermo.record(ThermoSample(minimization: result.final, configuration: configuration))
        }
        let final = evaluator.evaluate(&configuration)
        let stress = result.stress.map { $0 * Units.pressureToBar }
        if let path = plan.output.finalStructurePath {
            try FinalStructure.write(configuration, result: final, to: options.place(path))
        }
        console.row("minimisation: \(result.reason.rawValue) after \(result.steps) steps; E = \(result.energy) eV " +
                    "(\(result.energy / Double(configuration.count)) eV/atom), max force \(result.maxForce) eV/Å, " +
                    "stress \(stress.map { String(format: "%.4g", $0) }.joined(separator: " ")) bar, volume \(configuration.cell.volume) Å³")
        return RunSummary(steps: result.steps, atoms: configuration.count, loopSeconds: console.elapsed,
                          neighborSeconds: evaluator.neighborSeconds, neighborBuilds: evaluator.neighbors.buildCount, finalResult: final)
    }

    mutating func runSinglePoint() throws -> RunSummary {
        var evaluator = makeEvaluator()
        let result = evaluator.evaluate(&configuration)
        var state = MDState(configuration: configuration, random: RandomStream(seed: plan.seed))
        state.evaluation = result
        let console = Console(quiet: options.quiet)
        console.row(ThermoLog.terminalHeader(plan.output.thermo.columns, symbols: configuration.speciesTable.symbols, variables: plan.collectiveVariableNames, labelled: false))
        let thermo = try ThermoLog(plan: plan.output.thermo, symbols: configuration.speciesTable.symbols, variables: plan.collectiveVariableNames, path: plan.output.thermo.path.map { options.place($0) }, console: console)
        let sample = ThermoSample(state: state, conserved: result.energy + configuration.kineticEnergy)
        thermo.record(sample)
        thermo.close()
        if let trajectoryPlan = plan.output.trajectory {
            let trajectory = try TrajectoryOutput(plan: trajectoryPlan, path: options.place(trajectoryPlan.path), configuration: configuration,
                                                  deckText: plan.deckText, variables: plan.collectiveVariableNames)
            try trajectory.record(sample, replica: 0, configuration: configuration, forces: result.forces)
            try trajectory.close()
        }
        if let path = plan.output.finalStructurePath {
            try FinalStructure.write(configuration, result: result, to: options.place(path))
        }
        return RunSummary(steps: 0, atoms: configuration.count, loopSeconds: 0, neighborSeconds: evaluator.neighborSeconds,
                          neighborBuilds: evaluator.neighbors.buildCount, finalResult: result)
    }
}
