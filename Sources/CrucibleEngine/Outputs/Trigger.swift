/// When a scheduled operation runs: the one scheduling mechanism for outputs, checkpoints and
/// (later) Monte Carlo moves and exchanges, as HOOMD-blue's triggers.
public enum Trigger: Equatable, Sendable {
    /// Steps 0, n, 2n, … and the last step.
    case every(Int)
    /// Only at the first and last step.
    case endsOnly

    public func fires(atStep step: Int, lastStep: Int) -> Bool {
        if step == 0 || step == lastStep { return true }
        switch self {
        case .every(let n): return n > 0 && step % n == 0
        case .endsOnly: return false
        }
    }
}
