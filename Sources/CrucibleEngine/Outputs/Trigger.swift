/// When a scheduled operation runs: the one scheduling mechanism for thermo rows, trajectory frames
/// and checkpoints (and, later, Monte Carlo moves and replica exchanges), as HOOMD-blue's triggers.
public enum Trigger: Equatable, Sendable {
    /// Steps 0, n, 2n, … and the last step.
    case every(Int)

    public func fires(atStep step: Int, lastStep: Int) -> Bool {
        if step == 0 || step == lastStep { return true }
        switch self {
        case .every(let n): return n > 0 && step % n == 0
        }
    }
}
