import Dispatch
import Foundation

/// Progress of a run: an overwriting status line on a terminal, a plain line every 10% otherwise.
struct Progress {
    let total: Int
    let quiet: Bool
    let start = DispatchTime.now().uptimeNanoseconds
    private var nextPlainLine = 0
    private var lastTerminalUpdate: UInt64 = 0

    init(total: Int, quiet: Bool) {
        self.total = total
        self.quiet = quiet || total == 0
    }

    var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 }

    mutating func update(step: Int) {
        guard !quiet else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        if standardErrorIsTerminal {
            guard now - lastTerminalUpdate > 250_000_000 || step == total else { return }
            lastTerminalUpdate = now
            FileHandle.standardError.write(Data(("\r" + line(step: step)).utf8))
            if step == total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else if step * 10 >= nextPlainLine * total {
            nextPlainLine = step * 10 / total + 1
            printError(line(step: step))
        }
    }

    func line(step: Int) -> String {
        let rate = elapsed > 0 ? Double(step) / elapsed : 0
        let remaining = rate > 0 ? Double(total - step) / rate : 0
        return String(format: "step %d/%d  %.1f steps/s  ETA %.0f s", step, total, rate, remaining)
    }
}
