/// The live state of an MD run of K replicas (K = 1 for a plain run): what the schedule's
/// operations act on.
struct ReplicaRun {
    var replicas: [Replica]
    let integrator: MDIntegrator
    /// The step the replicas are at.
    var step: Int
    /// The step the run ends at.
    let lastStep: Int
    /// What the coming force evaluation must compute (set by the loop from the schedule).
    var request: PotentialRequest = .all
    /// Threads over replicas (each replica's evaluator has its own threads for its atoms).
    let replicaWorkers: Workers
    /// Whether outputs carry a replica index in their names and terminal rows.
    let labelled: Bool
}

extension ReplicaRun {
    /// Wall time of all force evaluations of all beads of all replicas so far, s.
    var evaluationSeconds: Double {
        replicas.reduce(0) { $0 + $1.evaluators.reduce(0) { $0 + $1.evaluationSeconds } }
    }

    /// How many force evaluations run at once (replica lanes × bead lanes).
    var evaluationLanes: Int {
        min(replicaWorkers.threads, replicas.count) * min(replicas[0].beadWorkers.threads, replicas[0].beads.count)
    }

    /// Runs `body` for every replica, replicas in parallel on `replicaWorkers` (each writes only
    /// its own replica, so results do not depend on the thread count). If bodies throw, the error
    /// of the lowest-numbered replica is rethrown after all have finished.
    mutating func forEachReplica(_ body: (inout Replica) throws -> Void) throws {
        let workers = replicaWorkers
        var errors = [(any Error)?](repeating: nil, count: replicas.count)
        errors.withUnsafeMutableBufferPointer { errors in
            replicas.withUnsafeMutableBufferPointer { replicas in
                workers.forEach(replicas.count) { r in
                    do { try body(&replicas[r]) } catch { errors[r] = error }
                }
            }
        }
        if let error = errors.lazy.compactMap({ $0 }).first { throw error }
    }

    /// The replica currently holding thermodynamic state `index`.
    func replica(inState index: Int) -> Replica {
        replicas.first { $0.thermodynamics.index == index } ?? replicas[index]
    }
}
