extension Simulation {
    /// The replicas of the deck (one without a `replicas` block).
    var replicaMembers: [ReplicasPlan.Member] { plan.replicas?.members ?? [ReplicasPlan.Member(index: 0)] }

    /// Threads over replicas, and threads of each replica's evaluator: replicas in parallel first,
    /// atoms within a replica when there are more threads than replicas.
    func threadSplit(replicas: Int) -> (replicaLanes: Int, perReplica: Int) {
        (max(1, min(threads, replicas)), max(1, threads / max(1, replicas)))
    }

    /// The thermodynamic state of `member`: the deck's thermostat and barostat targets unless the
    /// replicas block sets its own.
    func thermodynamics(_ md: MDPlan, _ member: ReplicasPlan.Member) -> ThermodynamicState {
        var state = ThermodynamicState(temperature: 0, pressure: md.barostat?.pressure)
        switch md.thermostat {
        case .langevin(let temperature, _)?, .csvr(let temperature, _)?: state.temperature = temperature
        case nil: break
        }
        if let temperature = member.temperature { state.temperature = temperature }
        if let pressure = member.pressure { state.pressure = pressure }
        return state
    }

    /// Every replica at step 0: the deck's configuration, velocities drawn from the replica's own
    /// stream (at its temperature when the replicas block lists temperatures), its own dynamics stream.
    func freshRun(_ md: MDPlan, integrator: MDIntegrator, lastStep: Int) throws -> ReplicaRun {
        let members = replicaMembers
        let split = threadSplit(replicas: members.count)
        let replicas = members.map { member -> Replica in
            var start = configuration
            // Replica 0 at the deck's temperature keeps the velocities drawn when the system was built.
            if let velocities = plan.system.velocities, member.index != 0 || member.temperature != nil {
                var random = RandomStream(seed: velocities.seed, key: StreamKey(.velocities, replica: member.index))
                start.assignMaxwellBoltzmannVelocities(temperature: member.temperature ?? velocities.temperature, random: &random)
            }
            let state = MDState(configuration: start, random: RandomStream(seed: plan.seed, key: StreamKey(.dynamics, replica: member.index)))
            return Replica(index: member.index, thermodynamics: thermodynamics(md, member), beads: [state],
                           evaluators: [makeEvaluator(threads: split.perReplica)])
        }
        return ReplicaRun(replicas: replicas, integrator: integrator, step: 0, lastStep: lastStep,
                          replicaWorkers: Workers(threads: split.replicaLanes), labelled: plan.replicas != nil)
    }

    /// The schedule of an MD run: integrate, guard rails, then the outputs in the order thermo,
    /// trajectory, checkpoint, final structure. Output files are per replica; on a restart the
    /// thermo and trajectory files are cut back to what an uninterrupted run has at this step.
    func makeSchedule(for run: ReplicaRun, integrator: MDIntegrator, console: Console, resumed: Bool) throws
        -> (Schedule, CheckpointOperation?) {
        let labelled = run.labelled
        func path(_ path: String, _ replica: Replica) -> String { options.place(path, replica: labelled ? replica.index : nil) }
        var writers: [any Operation] = []

        let thermoPlan = plan.output.thermo
        let thermoTrigger = Trigger.every(thermoPlan.every)
        let keepRows = resumed ? (0...run.step).filter { thermoTrigger.fires(atStep: $0, lastStep: run.lastStep) }.count : nil
        console.row(ThermoLog.terminalHeader(thermoPlan.columns, labelled: labelled))
        let logs = try run.replicas.map { replica in
            try ThermoLog(plan: thermoPlan, path: thermoPlan.path.map { path($0, replica) }, console: console,
                          label: labelled ? "r\(replica.index)" : nil, keepRows: keepRows)
        }
        writers.append(ThermoOperation(trigger: thermoTrigger, logs: logs))

        if let trajectoryPlan = plan.output.trajectory {
            let trigger = Trigger.every(trajectoryPlan.every)
            // A frame at the restart step stays only if an uninterrupted run writes one there.
            let keepThrough = trigger.fires(atStep: run.step, lastStep: run.lastStep) ? run.step : run.step - 1
            let files = try run.replicas.map { replica in
                resumed ? try TrajectoryOutput(resuming: trajectoryPlan, path: path(trajectoryPlan.path, replica), afterStep: keepThrough)
                    : try TrajectoryOutput(plan: trajectoryPlan, path: path(trajectoryPlan.path, replica),
                                           configuration: replica.beads[0].configuration, deckText: plan.deckText)
            }
            writers.append(TrajectoryOperation(trigger: trigger, files: files))
        }
        let checkpoint = plan.output.checkpoint.map { CheckpointOperation(every: $0.every, path: options.place($0.path), plan: plan) }
        if let checkpoint { writers.append(checkpoint) }
        if let finalPath = plan.output.finalStructurePath {
            writers.append(FinalStructureOperation(paths: run.replicas.map { path(finalPath, $0) }))
        }
        let operations: [any Operation] = [IntegrateOperation(integrator), GuardRailOperation(guarding: writers)] + writers
        return (Schedule(operations: operations), checkpoint)
    }
}
