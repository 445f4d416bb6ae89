/// When a scheduled operation runs (HOOMD-blue's triggers): every `period` steps (steps n, 2n, …),
/// optionally also at the first step of the run (step 0), at the last step, and at listed steps.
/// The one scheduling mechanism for integration, thermo rows, trajectory frames, checkpoints and,
/// later, Monte Carlo moves, exchanges and CV logs.
public struct Trigger: Equatable, Sendable {
    /// 0: never periodically.
    public var period: Int
    public var atFirst: Bool
    public var atLast: Bool
    public var steps: Set<Int>

    public init(period: Int, atFirst: Bool = false, atLast: Bool = false, steps: Set<Int> = []) {
        self.period = period; self.atFirst = atFirst; self.atLast = atLast; self.steps = steps
    }

    /// Outputs: steps 0, n, 2n, … and the last step (a shortened run still writes its end state).
    public static func every(_ n: Int) -> Trigger { Trigger(period: n, atFirst: true, atLast: true) }
    /// Every step after the first (integration).
    public static let eachStep = Trigger(period: 1)
    /// Only the last step (the final structure).
    public static let last = Trigger(period: 0, atLast: true)

    public func fires(atStep step: Int, lastStep: Int) -> Bool {
        if step == 0 { return atFirst || steps.contains(0) }
        if atLast && step == lastStep { return true }
        if period > 0 && step % period == 0 { return true }
        return steps.contains(step)
    }
}
