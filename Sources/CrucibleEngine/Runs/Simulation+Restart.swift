/// `--restart`: the run continues from the deck's checkpoint, bitwise as if never interrupted.
extension Simulation {
    /// The run at the checkpoint's step, and the checkpoint (operations restore their state from it).
    func restoredRun(integrator: MDIntegrator, lastStep: Int) throws -> (ReplicaRun, CheckpointRecord) {
        guard let checkpointPlan = plan.output.checkpoint else {
            throw InputError(file: plan.deckPath, key: "output.checkpoint", "--restart needs output.checkpoint in the deck")
        }
        let path = options.place(checkpointPlan.path)
        let record = try CheckpointFile.read(path)
        try checkContinuity(record, path: path, pathIntegral: integrator.pathIntegral != nil)
        let members = replicaMembers
        let split = threadSplit(replicas: members.count)
        let beadCount = integrator.pathIntegral?.beads ?? 1
        do {
            let step = Int(try record.integer("run/step"))
            guard step <= lastStep else {
                throw InputError(file: plan.deckPath, key: "md.steps", "the checkpoint is at step \(step), beyond the \(lastStep) steps of this run")
            }
            var replicas: [Replica] = []
            for member in members {
                let prefix = "replica\(member.index)/"
                let thermodynamics = try ThermodynamicState(from: record, as: prefix + "thermodynamics/")
                var beads: [MDState] = [], evaluators: [Evaluator] = []
                for b in 0..<beadCount {
                    let state = try MDState(from: record, as: prefix + "bead\(b)/state/")
                    guard state.step == step, state.configuration.count == configuration.count,
                          state.configuration.speciesTable.symbols == configuration.speciesTable.symbols else {
                        throw InputError(file: path, "replica \(member.index) of the checkpoint does not match the deck's system")
                    }
                    var evaluator = makeEvaluator(threads: max(1, split.perReplica / beadCount))
                    let neighbors = try NeighborList(from: record, as: prefix + "bead\(b)/neighbors/")
                    guard neighbors.cutoff == evaluator.neighbors.cutoff, neighbors.skin == evaluator.neighbors.skin else {
                        throw InputError(file: path, "the checkpoint's neighbour list has another cutoff or skin than the deck's potential")
                    }
                    evaluator.neighbors = neighbors
                    beads.append(state)
                    evaluators.append(evaluator)
                }
                let monteCarlo = try MonteCarloState(from: record, as: prefix + "monte_carlo/")
                var replica = Replica(index: member.index, thermodynamics: thermodynamics, beads: beads, evaluators: evaluators,
                                      monteCarlo: monteCarlo)
                replica.beadWorkers = Workers(threads: min(split.perReplica, beadCount))
                replicas.append(replica)
            }
            return (ReplicaRun(replicas: replicas, integrator: integrator, step: step, lastStep: lastStep,
                               replicaWorkers: Workers(threads: split.replicaLanes), labelled: plan.replicas != nil), record)
        } catch let error as CheckpointError {
            throw InputError(file: path, "\(error)")
        }
    }

    /// A restart must continue the same trajectory: the format, and every part of the deck other
    /// than `md.steps` and `output`, must be what the checkpoint was written with.
    func checkContinuity(_ record: CheckpointRecord, path: String, pathIntegral: Bool) throws {
        let version = (try? record.integer("format_version")) ?? 0
        guard version == RunCheckpoint.formatVersion || !pathIntegral && RunCheckpoint.classicalCompatibleVersions.contains(version) else {
            throw InputError(file: path, "checkpoint format \(version) is not this Crucible's (format \(RunCheckpoint.formatVersion)); it cannot be continued: start the run afresh without --restart")
        }
        for (key, text) in RunCheckpoint.continuity(plan).sorted(by: { $0.key < $1.key }) {
            let saved = try? record.string("continuity/" + key)
            guard saved == text else {
                throw InputError(file: plan.deckPath, key: key,
                                 "'\(key)' differs from the run that wrote the checkpoint \(path), so a restart would not continue it (only md.steps and output may change between a run and its restart). Checkpoint: \(Self.excerpt(saved ?? "nothing")); deck: \(Self.excerpt(text)). Run without --restart to start afresh with the new settings.")
            }
        }
    }

    /// Gives every stateful operation of `schedule` its state from the checkpoint.
    func restoreOperations(_ schedule: Schedule, from record: CheckpointRecord) throws {
        let path = options.place(plan.output.checkpoint!.path)
        do {
            for operation in schedule.statefulOperations {
                try operation.restore(from: record, as: "operations/\(operation.checkpointKey)/")
            }
        } catch let error as CheckpointError {
            throw InputError(file: path, "\(error)")
        }
    }

    static func excerpt(_ text: String) -> String { text.count > 240 ? String(text.prefix(240)) + "…" : text }
}
