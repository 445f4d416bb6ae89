import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal of a run: thermo rows on standard output, and a progress bar kept on the last line
/// of standard error. On a terminal the bar is erased before a row prints and drawn again after it,
/// so rows never start mid-line; when standard error is not a terminal, a plain progress line is
/// printed every 10% instead.
final class Console {
    let quiet: Bool
    private let terminal: Bool
    private var total = 0
    private var replicas = 1
    private var start = DispatchTime.now().uptimeNanoseconds
    private var barShown = false
    private var lastDraw: UInt64 = 0
    private var nextPlainLine = 0
    private var done = 0

    init(quiet: Bool) {
        self.quiet = quiet
        terminal = isatty(2) != 0
    }

    /// Starts the progress of `total` steps of `replicas` replicas advancing together.
    func startProgress(total: Int, replicas: Int) {
        self.total = total
        self.replicas = replicas
        start = DispatchTime.now().uptimeNanoseconds
        nextPlainLine = 0
        done = 0
    }

    /// Seconds since `startProgress`.
    var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 }

    /// A thermo row (or any line of the run's report) on standard output, above the bar.
    func row(_ text: String) {
        guard !quiet else { return }
        eraseBar()
        fputs(text + "\n", stdout)
        fflush(stdout)
        if barShown { drawBar() }
    }

    /// `steps` of `total` steps done.
    func progress(_ steps: Int) {
        guard !quiet, total > 0 else { return }
        done = steps
        let now = DispatchTime.now().uptimeNanoseconds
        if terminal {
            guard now - lastDraw > 200_000_000 || steps == total else { return }
            lastDraw = now
            barShown = true
            drawBar()
            if steps == total { fputs("\n", stderr); barShown = false }
        } else if steps * 10 >= nextPlainLine * total {
            nextPlainLine = steps * 10 / total + 1
            fputs(line() + "\n", stderr)
        }
    }

    private func eraseBar() {
        guard terminal, barShown else { return }
        fputs("\r\u{1B}[2K", stderr)
        fflush(stderr)
    }

    private func drawBar() {
        let width = 24
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        fputs("\r\u{1B}[2K[" + bar + "] " + line(), stderr)
        fflush(stderr)
    }

    /// "62%  step 1240/2000  3 replicas  812 steps/s  ETA 1 s"
    func line() -> String {
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        let percent = total > 0 ? 100 * done / total : 100
        let who = replicas > 1 ? "  \(replicas) replicas" : ""
        return "\(percent)%  step \(done)/\(total)\(who)  " + String(format: "%.1f steps/s  ETA %.0f s", rate, remaining)
    }
}
