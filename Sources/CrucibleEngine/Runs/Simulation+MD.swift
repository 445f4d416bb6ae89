extension Simulation {
    /// The integrator the deck asks for (targets come from each replica's thermodynamic state).
    func makeIntegrator(_ md: MDPlan) -> MDIntegrator {
        var thermostat: Thermostat? = nil
        switch md.thermostat {
        case .langevin(_, let damping)?: thermostat = .langevin(damping: damping)
        case .csvr(_, let tau)?: thermostat = .csvr(tau: tau)
        case nil: break
        }
        let barostat = md.barostat.map { b -> Barostat in
            let coupling: Barostat.Coupling
            switch b.coupling {
            case .isotropic: coupling = .isotropic
            case .anisotropic(let axes): coupling = .anisotropic(axes: axes.map { ["x", "y", "z"].firstIndex(of: $0.rawValue)! })
            }
            return Barostat(coupling: coupling, tau: b.tau, compressibility: b.compressibility)
        }
        let ring = md.pathIntegral.map {
            RingPolymer(beads: $0.beads, propagator: $0.propagator == .cayley ? .cayley : .exact, lambda: $0.lambda,
                        thermostatCentroid: $0.centroid == .thermostat)
        }
        return MDIntegrator(timestep: md.timestep, thermostat: thermostat, barostat: barostat, pathIntegral: ring)
    }

    /// An MD run of every replica of the deck (one without a `replicas` block): the loop advances
    /// the replicas from one meeting of the schedule to the next (integrate, guard rails, thermo,
    /// trajectory, checkpoint, final structure) and knows none of its operations.
    mutating func runMD(_ md: MDPlan) throws -> RunSummary {
        let lastStep = min(md.steps, options.maxSteps ?? md.steps)
        let integrator = makeIntegrator(md)
        var run: ReplicaRun
        var resumed = false
        var record: CheckpointRecord?
        if options.restart {
            (run, record) = try restoredRun(integrator: integrator, lastStep: lastStep)
            resumed = true
        } else {
            run = try freshRun(md, integrator: integrator, lastStep: lastStep)
        }
        // The replicas own their configurations now: drop the starting one, so a large system is not
        // held twice (it comes back as the final configuration of replica 0).
        configuration = Configuration(cell: configuration.cell, positions: [], species: [], speciesTable: configuration.speciesTable)
        defer { keepFinalConfigurations(run) }
        let console = Console(quiet: options.quiet)
        let (schedule, checkpoint) = try makeSchedule(for: run, integrator: integrator, console: console, resumed: resumed)
        defer { schedule.close() }
        checkpoint?.statefulOperations = schedule.statefulOperations
        if let record { try restoreOperations(schedule, from: record) }

        if !resumed {
            run.request = schedule.request(atStep: 0, lastStep: lastStep)
            let request = run.request
            try run.forEachReplica { integrator.prepare(&$0, request: request) }
            try schedule.perform(&run)
        }
        let firstStep = run.step
        console.startProgress(total: lastStep - firstStep, replicas: run.replicas.count)
        let neighborStart = run.replicas.map { $0.evaluators[0].neighborSeconds }.reduce(0, +)
        let evaluationStart = run.evaluationSeconds
        let buildStart = run.replicas.map { $0.evaluators[0].neighbors.buildCount }.reduce(0, +)
        while run.step < lastStep {
            try schedule.advance(&run, to: schedule.nextMeeting(after: run.step, lastStep: lastStep))
            console.progress(run.step - firstStep)
            if let signal = StopRequest.pending {
                if let checkpoint, !checkpoint.fires(atStep: run.step, lastStep: lastStep) {
                    try GuardRailOperation.check(run)
                    try checkpoint.perform(&run)
                }
                throw RunInterrupted(signal: signal, step: run.step, checkpoint: checkpoint?.path)
            }
        }
        let loop = console.elapsed
        // Replicas run side by side: their list time is averaged to compare with the wall time of the loop.
        let neighborSeconds = (run.replicas.map { $0.evaluators[0].neighborSeconds }.reduce(0, +) - neighborStart) / Double(run.replicas.count)
        let builds = run.replicas.map { $0.evaluators[0].neighbors.buildCount }.reduce(0, +) - buildStart
        var summary = RunSummary(steps: lastStep - firstStep, atoms: run.replicas.reduce(0) { $0 + $1.beads[0].configuration.count },
                          loopSeconds: loop, neighborSeconds: neighborSeconds, neighborBuilds: builds,
                          finalResult: run.replicas[0].beads[0].evaluation)
        summary.notes = schedule.report(run)
        // Force evaluations run side by side (replicas, beads): their time is divided by the lanes
        // that ran them, to compare with the wall time of the loop.
        summary.evaluationSeconds = (run.evaluationSeconds - evaluationStart) / Double(run.evaluationLanes)
        return summary
    }

    private mutating func keepFinalConfigurations(_ run: ReplicaRun) {
        finalConfigurations = run.replicas.map(\.centroidConfiguration)
        configuration = finalConfigurations[0]
    }
}
