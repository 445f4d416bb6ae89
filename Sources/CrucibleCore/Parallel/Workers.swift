import Dispatch

/// Runs a fixed set of tasks on up to `threads` threads. The work is always cut into the same tasks
/// whatever the thread count, and every task writes only its own outputs, so results are bitwise
/// identical for 1 or N threads.
public struct Workers: Sendable {
    public let threads: Int

    public init(threads: Int) { self.threads = max(1, threads) }

    public static let serial = Workers(threads: 1)

    /// Calls `body(task)` for task in 0..<count; tasks are dealt round-robin to threads.
    public func forEach(_ count: Int, _ body: (Int) -> Void) {
        let lanes = min(threads, count)
        if lanes <= 1 {
            for task in 0..<count { body(task) }
            return
        }
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                var task = lane
                while task < count {
                    body(task)
                    task += lanes
                }
            }
        }
    }
}
