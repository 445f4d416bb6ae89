#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGINT/SIGTERM ask the run to stop after the current step: it then writes a checkpoint, closes
/// its files and exits non-zero. The handler only records the signal (async-signal-safe).
public enum StopRequest {
    nonisolated(unsafe) static var signalNumber: sig_atomic_t = 0

    public static func install() {
        signal(SIGINT) { StopRequest.signalNumber = $0 }
        signal(SIGTERM) { StopRequest.signalNumber = $0 }
        // A parent may have blocked these signals (the mask is inherited across exec): unblock them.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    static var pending: Int32? { signalNumber == 0 ? nil : Int32(signalNumber) }
}

/// The run stopped on a signal after writing what it had to.
public struct RunInterrupted: Error, CustomStringConvertible {
    public var signal: Int32
    public var step: Int
    public var checkpoint: String?

    public var description: String {
        let name = signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)"
        let saved = checkpoint.map { "checkpoint written to \($0); continue with `crucible run DECK --restart`" }
            ?? "no checkpoint configured (output.checkpoint), so the run cannot be continued"
        return "stopped by \(name) after step \(step): \(saved)"
    }
}
