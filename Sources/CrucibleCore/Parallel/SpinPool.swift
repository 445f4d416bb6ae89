import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Helper threads that stay awake between parallel loops: the fork–join of `Workers.forEach`.
///
/// Why not `DispatchQueue.concurrentPerform`: a step runs about ten short parallel loops (kick,
/// drift, list refresh, pair chunks, folds), and waking a dispatch worker for each costs tens of
/// microseconds (measured here: two lanes of 15 µs took 40 µs through dispatch, 15 µs through this
/// pool), which capped two threads at about 1.6× one. A helper spins on a generation counter for
/// a while after each loop (about 0.1 ms) and then sleeps on a condition variable, so an idle pool
/// costs nothing.
///
/// Lane 0 is the caller; helpers are lanes 1…lanes−1. Tasks are dealt round-robin to lanes, as
/// before, so which lane runs a task never changes the numbers. A pool runs one loop at a time:
/// a nested or concurrent call on a busy pool falls back to `concurrentPerform`.
final class SpinPool: @unchecked Sendable {
    /// What the caller and the helpers share; the helpers hold only this, so the pool's owner can
    /// go away (its deinit tells the helpers to exit).
    final class Shared: @unchecked Sendable {
        let lanes: Int
        let generation = Atomic<Int>(0)
        let pending = Atomic<Int>(0)
        let sleepers = Atomic<Int>(0)
        let exit = Atomic<Bool>(false)
        let busy = Atomic<Bool>(false)
        /// The loop being run; written by the caller before `generation` moves, read by helpers after.
        var body: ((Int) -> Void)?
        var count = 0
        let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

        init(lanes: Int) {
            self.lanes = lanes
            pthread_mutex_init(mutex, nil)
            pthread_cond_init(condition, nil)
        }

        deinit {
            pthread_cond_destroy(condition); pthread_mutex_destroy(mutex)
            condition.deallocate(); mutex.deallocate()
        }

        func wakeSleepers() {
            pthread_mutex_lock(mutex)
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
    }

    /// Spins of a waiting helper before it sleeps.
    static let spinsBeforeSleep = 100_000
    let shared: Shared

    init(lanes: Int) {
        precondition(lanes >= 2)
        shared = Shared(lanes: lanes)
        for lane in 1..<lanes {
            let shared = self.shared
            let thread = Thread { SpinPool.help(shared, lane: lane) }
            thread.name = "crucible worker \(lane)"
            thread.start()
        }
    }

    deinit {
        shared.exit.store(true, ordering: .sequentiallyConsistent)
        shared.wakeSleepers()
    }

    /// A helper: wait for the next loop (spinning, then sleeping), run its lane, report, repeat.
    private static func help(_ s: Shared, lane: Int) {
        var seen = 0
        while true {
            var spins = 0
            while s.generation.load(ordering: .acquiring) == seen {
                if s.exit.load(ordering: .relaxed) { return }
                spins += 1
                if spins > spinsBeforeSleep {
                    // The caller moves `generation` before it reads `sleepers`, and we count ourselves
                    // before we read `generation` (all sequentially consistent): no wake-up is lost.
                    pthread_mutex_lock(s.mutex)
                    s.sleepers.add(1, ordering: .sequentiallyConsistent)
                    while s.generation.load(ordering: .sequentiallyConsistent) == seen && !s.exit.load(ordering: .sequentiallyConsistent) {
                        pthread_cond_wait(s.condition, s.mutex)
                    }
                    s.sleepers.subtract(1, ordering: .sequentiallyConsistent)
                    pthread_mutex_unlock(s.mutex)
                    spins = 0
                }
            }
            if s.exit.load(ordering: .relaxed) { return }
            seen = s.generation.load(ordering: .acquiring)
            runLane(s, lane)
            s.pending.subtract(1, ordering: .releasing)
        }
    }

    /// Runs one lane's tasks; the closure is released when this returns, before the helper reports.
    @inline(never)
    private static func runLane(_ s: Shared, _ lane: Int) {
        guard let body = s.body else { return }
        let count = s.count, lanes = s.lanes
        var task = lane
        while task < count { body(task); task += lanes }
    }

    /// Calls `body(task)` for task in 0..<count, task t on lane t mod lanes.
    func forEach(_ count: Int, _ body: (Int) -> Void) {
        let s = shared, lanes = s.lanes
        guard s.busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            withoutActuallyEscaping(body) { body in
                DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                    var task = lane
                    while task < count { body(task); task += lanes }
                }
            }
            return
        }
        withoutActuallyEscaping(body) { body in
            s.body = body
            s.count = count
            s.pending.store(lanes - 1, ordering: .relaxed)
            s.generation.add(1, ordering: .sequentiallyConsistent)
            if s.sleepers.load(ordering: .sequentiallyConsistent) > 0 { s.wakeSleepers() }
            var task = 0
            while task < count { body(task); task += lanes }
            var spins = 0
            while s.pending.load(ordering: .acquiring) > 0 {
                spins += 1
                if spins > 1000 { sched_yield() }
            }
            s.body = nil
        }
        s.busy.store(false, ordering: .releasing)
    }
}
