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
        var state = ThermodynamicState(index: member.index, temperature: 0, pressure: md.barostat?.pressure, parameters: member.parameters)
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
    /// Under path integrals every bead starts at the deck's positions, beads after the first with
    /// velocities drawn at P·T from their own streams.
    func freshRun(_ md: MDPlan, integrator: MDIntegrator, lastStep: Int) throws -> ReplicaRun {
        let members = replicaMembers
        let beadCount = md.pathIntegral?.beads ?? 1
        let split = threadSplit(replicas: members.count)
        let replicas = members.enumerated().map { k, member -> Replica in
            var start = startingConfigurations?[k] ?? configuration
            // Replica 0 at the deck's temperature keeps the velocities drawn when the system was built.
            if let velocities = plan.system.velocities, member.index != 0 || member.temperature != nil || beadCount > 1 {
                var random = RandomStream(seed: velocities.seed, key: StreamKey(.velocities, replica: member.index))
                let temperature = (member.temperature ?? velocities.temperature) * Double(beadCount)
                start.assignMaxwellBoltzmannVelocities(temperature: temperature, random: &random)
            }
            let beads = (0..<beadCount).map { b -> MDState in
                var bead = start
                if b > 0, let velocities = plan.system.velocities {
                    var random = RandomStream(seed: velocities.seed, key: StreamKey(.velocities, replica: member.index, bead: b))
                    bead.assignMaxwellBoltzmannVelocities(temperature: (member.temperature ?? velocities.temperature) * Double(beadCount),
                                                          random: &random)
                }
                return MDState(configuration: bead, random: RandomStream(seed: plan.seed, key: StreamKey(.dynamics, replica: member.index, bead: b)))
            }
            var replica = Replica(index: member.index, thermodynamics: thermodynamics(md, member), beads: beads,
                                  evaluators: beads.map { _ in makeEvaluator(threads: max(1, split.perReplica / beadCount)) },
                                  monteCarlo: MonteCarloState(random: RandomStream(seed: plan.seed, key: StreamKey(.alloy, replica: member.index))))
            replica.beadWorkers = Workers(threads: min(split.perReplica, beadCount))
            return replica
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
        let resumedAt = resumed ? run.step : nil
        let symbols = run.replicas[0].beads[0].configuration.speciesTable.symbols
        var moves: [any Operation] = try monteCarloOperations(integrator: integrator)
        let exchangePlan = plan.replicas?.exchange
        if let exchangePlan {
            moves.append(try ReplicaExchangeOperation(plan: exchangePlan, states: run.replicas.count, seed: plan.seed,
                                                      path: exchangePlan.path.map { options.place($0) }, resumedAt: resumedAt))
        }
        var writers: [any Operation] = []

        let thermoPlan = plan.output.thermo
        let thermoTrigger = Trigger.every(thermoPlan.every)
        let keepRows = resumed ? (0...run.step).filter { thermoTrigger.fires(atStep: $0, lastStep: run.lastStep) }.count : nil
        let variables = plan.collectiveVariableNames
        console.row(ThermoLog.terminalHeader(thermoPlan.columns, symbols: symbols, variables: variables, labelled: labelled))
        let logs = try run.replicas.map { replica in
            try ThermoLog(plan: thermoPlan, symbols: symbols, variables: variables, path: thermoPlan.path.map { path($0, replica) }, console: console,
                          label: labelled ? "r\(replica.index)" : nil, keepRows: keepRows)
        }
        writers.append(ThermoOperation(trigger: thermoTrigger, logs: logs))

        if let trajectoryPlan = plan.output.trajectory {
            let trigger = Trigger.every(trajectoryPlan.every)
            // A frame at the restart step stays only if an uninterrupted run writes one there.
            let keepThrough = trigger.fires(atStep: run.step, lastStep: run.lastStep) ? run.step : run.step - 1
            // By state (the default with replica exchange): one file per thermodynamic state (state k
            // starts in replica k), named with the state index (traj.s2.h5md), holding whichever
            // replica has the state. By replica: traj.r2.h5md follows replica 2 through the states.
            let byState = labelled && (trajectoryPlan.by ?? (exchangePlan != nil ? .state : .replica)) == .state
            // Under path integrals the files hold the centroids; with `beads: true` every bead has a
            // file of its own too (traj.b3.h5md, traj.s2.b3.h5md).
            let beadCount = trajectoryPlan.beads ? run.replicas[0].beads.count : 0
            let files = try run.replicas.indices.map { k -> [TrajectoryOutput] in
                // File k is replica k's, or state k's (whichever replica holds it now, on a restart).
                let replica = byState ? run.replica(inState: k) : run.replicas[k]
                let name = byState ? options.place(trajectoryPlan.path, state: k) : path(trajectoryPlan.path, replica)
                let names = [name] + (0..<beadCount).map { options.place(name, bead: $0) }
                return try names.enumerated().map { index, name in
                    resumed ? try TrajectoryOutput(resuming: trajectoryPlan, path: name, afterStep: keepThrough, variables: variables)
                        : try TrajectoryOutput(plan: trajectoryPlan, path: name,
                                               configuration: index == 0 ? replica.centroidConfiguration : replica.beads[index - 1].configuration,
                                               deckText: plan.deckText, byState: byState, speciesVary: plan.monteCarlo != nil,
                                               pathIntegral: integrator.pathIntegral != nil, variables: variables)
                }
            }
            writers.append(TrajectoryOperation(trigger: trigger, files: files, byState: byState))
        }
        if let sroPlan = plan.output.sro {
            let cutoff = run.replicas[0].evaluators[0].neighbors.cutoff
            guard sroPlan.shells.last! <= cutoff else {
                throw InputError(file: plan.deckPath, key: "output.sro.shells",
                                 "the outermost shell radius \(sroPlan.shells.last!) Å exceeds the potential's cutoff (\(cutoff) Å); the neighbour list holds no pairs beyond it")
            }
            writers.append(try ShortRangeOrderOperation(plan: sroPlan, symbols: symbols, states: run.replicas.count,
                                                        path: sroPlan.path.map { options.place($0) }, resumedAt: resumedAt))
        }
        if let profilePlan = plan.output.compositionProfile {
            writers.append(try CompositionProfileOperation(plan: profilePlan, symbols: symbols, states: run.replicas.count,
                                                           path: profilePlan.path.map { options.place($0) }, resumedAt: resumedAt))
        }
        let checkpoint = plan.output.checkpoint.map { CheckpointOperation(every: $0.every, path: options.place($0.path), plan: plan) }
        if let checkpoint { writers.append(checkpoint) }
        if let finalPath = plan.output.finalStructurePath {
            writers.append(FinalStructureOperation(paths: run.replicas.map { path(finalPath, $0) }))
        }
        let operations: [any Operation] = [IntegrateOperation(integrator)] + extraOperations + moves + [GuardRailOperation(guarding: writers)] + writers
        return (Schedule(operations: operations), checkpoint)
    }
}

extension Simulation {
    /// The deck's Monte Carlo moves, in the order swap, semi-grand (each a replica-local operation).
    func monteCarloOperations(integrator: MDIntegrator) throws -> [any Operation] {
        guard let monteCarlo = plan.monteCarlo else { return [] }
        let table = configuration.speciesTable
        func species(_ symbol: String, _ key: String) throws -> Int {
            guard let index = table.index(of: symbol) else {
                throw InputError(file: plan.deckPath, key: key, "element \(symbol) is not in the system (elements: \(table.symbols.joined(separator: ", ")))")
            }
            return index
        }
        var operations: [any Operation] = []
        if let swap = monteCarlo.swap {
            let move = try swap.pairs.map { pairs in
                SwapMove(pairs: try pairs.map { (try species($0[0], "monte_carlo.swap.pairs"), try species($0[1], "monte_carlo.swap.pairs")) })
            } ?? SwapMove(allPairsOf: table)
            operations.append(SpeciesMoveOperation(move: move, every: swap.every, attempts: swap.attempts, checkEvery: swap.checkEvery,
                                                   integrator: integrator))
        }
        if let sgc = monteCarlo.semiGrand {
            let mus = try sgc.chemicalPotentials.map { (species: try species($0.symbol, "monte_carlo.semi_grand.chemical_potentials"), mu: $0.value) }
            let variance = try sgc.kappa.map { kappa in
                (kappa: kappa, targets: try sgc.concentrations.map {
                    (species: try species($0.symbol, "monte_carlo.semi_grand.variance.concentrations"), concentration: $0.value)
                })
            }
            operations.append(SpeciesMoveOperation(move: SemiGrandMove(chemicalPotentials: mus, variance: variance), every: sgc.every,
                                                   attempts: sgc.attempts, checkEvery: sgc.checkEvery, integrator: integrator))
        }
        return operations
    }
}
