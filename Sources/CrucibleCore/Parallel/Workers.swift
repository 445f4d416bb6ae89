/// Runs a fixed set of tasks on up to `threads` threads. The work is always cut into the same tasks
/// whatever the thread count, and every task writes only its own outputs, so results are bitwise
/// identical for 1 or N threads. With more than one thread the tasks run on a `SpinPool` whose
/// helper threads belong to this value (and its copies).
public struct Workers: Sendable {
    public let threads: Int
    private let pool: SpinPool?

    public init(threads: Int) {
        self.threads = max(1, threads)
        pool = self.threads > 1 ? SpinPool(lanes: self.threads) : nil
    }

    public static let serial = Workers(threads: 1)

    /// Calls `body(task)` for task in 0..<count; tasks are dealt round-robin to threads.
    public func forEach(_ count: Int, _ body: (Int) -> Void) {
        guard let pool, count > 1 else {
            for task in 0..<count { body(task) }
            return
        }
        pool.forEach(count, body)
    }
}
