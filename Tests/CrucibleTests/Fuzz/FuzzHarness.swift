import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a target over mutated seeds, timing every input.
/// - A crash (trap, bad access, abort) cannot be caught in-process, so the input being read is kept
///   in a C buffer and a signal handler writes it to `<findings>/crash-<target>-seed<S>-<index>.<ext>`
///   before the process dies (then Swift's backtracer prints the stack as usual).
/// - A hang is caught by a watchdog thread: past `hangSeconds` it saves the input the same way
///   (`hang-…`) and aborts; an input that returns but took longer than `slowSeconds` is a problem,
///   saved as `problem-…` like any input refused with a misplaced error.
enum FuzzHarness {
    struct Settings {
        var runSeed: UInt64 = 20_251_125
        var slowSeconds = 2.0
        var hangSeconds = 60.0
        /// Share of inputs mutated from the full (real) files rather than the small ones.
        var fullSeedShare = 0.1
        var findings = ProcessInfo.processInfo.environment["CRUCIBLE_FUZZ_FINDINGS"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("crucible-fuzz-findings").path
    }

    struct Report: CustomStringConvertible {
        var target: String
        var inputs = 0
        var accepted = 0
        var unplaced = 0
        var slowest = 0.0
        var seconds = 0.0
        var problems: [String] = []

        var description: String {
            "\(target): \(inputs) inputs, \(accepted) accepted, \(inputs - accepted) refused, "
                + "slowest \(String(format: "%.3f", slowest)) s, total \(String(format: "%.1f", seconds)) s, "
                + "\(problems.count) problem(s)" + (unplaced > 0 ? ", \(unplaced) downstream error(s) without a line" : "")
        }
    }

    /// `count` mutated inputs (input k is a function of the run seed, the target and k only).
    static func fuzz(_ target: FuzzTarget, count: Int, settings: Settings, first: Int = 0) -> Report {
        let seeds = target.smallSeeds + target.fullSeeds
        return drive(target, settings: settings, count: count, first: first) { _, rng in
            let useFull = !target.fullSeeds.isEmpty && (target.smallSeeds.isEmpty || rng.chance(settings.fullSeedShare))
            let pool = useFull ? target.fullSeeds : target.smallSeeds
            let seed = pool.isEmpty ? seeds[rng.below(seeds.count)] : pool[rng.below(pool.count)]
            return (seed.name, FuzzMutator.mutate(seed.bytes, &rng))
        }
    }

    /// Every seed cut at each 1/50th of its length (deterministic; no mutation).
    static func truncations(_ target: FuzzTarget, seeds: [FuzzSeeds.Seed], settings: Settings) -> Report {
        drive(target, settings: settings, count: seeds.count * 50) { index, _ in
            let seed = seeds[index / 50]
            let cut = seed.bytes.count * (index % 50) / 50
            return ("\(seed.name) cut at \(cut)", Array(seed.bytes[0..<cut]))
        }
    }

    /// Runs saved inputs (regression corpus).
    static func replay(_ target: FuzzTarget, inputs: [(String, [UInt8])], settings: Settings) -> Report {
        drive(target, settings: settings, count: inputs.count) { index, _ in inputs[index] }
    }

    private static func drive(_ target: FuzzTarget, settings: Settings, count: Int, first: Int = 0,
                              input: (Int, inout FuzzRandom) -> (String, [UInt8])) -> Report {
        var report = Report(target: target.name)
        try? FileManager.default.createDirectory(atPath: settings.findings, withIntermediateDirectories: true)
        FuzzCrashCapture.install()
        defer { FuzzCrashCapture.uninstall() }
        let extensionName = String(target.fileName.drop { $0 != "." }.dropFirst())
        let start = DispatchTime.now().uptimeNanoseconds
        for index in first..<(first + count) {
            var rng = FuzzRandom(runSeed: settings.runSeed, target: target.name, index: index)
            let (label, bytes) = input(index, &rng)
            let base = settings.findings + "/\(target.name)-seed\(settings.runSeed)-\(index).\(extensionName)"
            FuzzCrashCapture.arm(bytes: bytes, path: base, label: "\(target.name) #\(index) from \(label)",
                                 hangSeconds: settings.hangSeconds)
            let t0 = DispatchTime.now().uptimeNanoseconds
            let verdict = target.run(bytes, &rng)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
            FuzzCrashCapture.disarm()

            report.inputs += 1
            report.accepted += verdict.accepted ? 1 : 0
            report.unplaced += verdict.unplacedErrors
            report.slowest = max(report.slowest, elapsed)
            var problems = verdict.problems
            if elapsed > settings.slowSeconds { problems.append(String(format: "slow: %.2f s", elapsed)) }
            if !problems.isEmpty {
                let saved = save(bytes, to: settings.findings + "/problem-" + (base as NSString).lastPathComponent)
                report.problems.append("\(target.name) #\(index) from \(label) (saved as \(saved)): "
                                       + problems.prefix(3).joined(separator: "; "))
            }
        }
        report.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        return report
    }

    static func save(_ bytes: [UInt8], to path: String) -> String {
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }
}

/// The input in flight, kept where a signal handler can reach it without allocating.
enum FuzzCrashCapture {
    private static let pathCapacity = 4096
    static var bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    static var capacity = 1
    static var length = 0
    static var path = UnsafeMutablePointer<CChar>.allocate(capacity: pathCapacity)
    static var message = UnsafeMutablePointer<CChar>.allocate(capacity: pathCapacity)
    static var armed = false
    static var armedAt: UInt64 = 0
    static var hangLimit: UInt64 = 0
    private static let lock = NSLock()
    private static var watchdogStarted = false
    /// The handlers in place before ours (Swift's backtracer), by signal number.
    private static let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    static let signals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE]

    static func install() {
        for signal in signals {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = { signal in FuzzCrashCapture.crashed(signal) }
            #else
            action.__sigaction_u.__sa_handler = { signal in FuzzCrashCapture.crashed(signal) }
            #endif
            sigaction(signal, &action, previous + Int(signal))
        }
        lock.lock()
        defer { lock.unlock() }
        if !watchdogStarted {
            watchdogStarted = true
            let thread = Thread { watch() }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    static func uninstall() {
        for signal in signals { sigaction(signal, previous + Int(signal), nil) }
    }

    static func arm(bytes input: [UInt8], path target: String, label: String, hangSeconds: Double) {
        lock.lock()
        defer { lock.unlock() }
        if input.count > capacity {
            bytes.deallocate()
            capacity = input.count
            bytes = .allocate(capacity: capacity)
        }
        input.withUnsafeBufferPointer { if let base = $0.baseAddress { bytes.update(from: base, count: input.count) } }
        length = input.count
        copy("crash-" + (target as NSString).lastPathComponent, folder: (target as NSString).deletingLastPathComponent, into: path)
        copy("\nFUZZ: crash while reading \(label); input saved to ", folder: nil, into: message)
        hangLimit = UInt64(hangSeconds * 1e9)
        armedAt = DispatchTime.now().uptimeNanoseconds
        armed = true
    }

    static func disarm() {
        lock.lock()
        armed = false
        lock.unlock()
    }

    private static func copy(_ text: String, folder: String?, into buffer: UnsafeMutablePointer<CChar>) {
        let full = folder.map { $0 + "/" + text } ?? text
        let utf8 = Array(full.utf8.prefix(pathCapacity - 1))
        for (i, byte) in utf8.enumerated() { buffer[i] = CChar(bitPattern: byte) }
        buffer[utf8.count] = 0
    }

    /// Signal handler: only async-signal-safe calls (open, write, close, sigaction). It puts the
    /// previous handler back and returns, so the faulting instruction runs again into it (and Swift's
    /// backtracer still prints the stack).
    static func crashed(_ signal: Int32) {
        if armed {
            armed = false
            dump(to: path)
        }
        sigaction(signal, previous + Int(signal), nil)
        if signal == SIGABRT { raise(signal) }
    }

    private static func dump(to target: UnsafeMutablePointer<CChar>) {
        let fd = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd >= 0 {
            _ = write(fd, bytes, length)
            close(fd)
        }
        _ = write(2, message, strlen(message))
        _ = write(2, target, strlen(target))
        _ = write(2, "\n", 1)
    }

    /// Past the hang limit: save the input as hang-… and abort, so a long run ends with a verdict.
    private static func watch() {
        while true {
            usleep(200_000)
            lock.lock()
            let late = armed && DispatchTime.now().uptimeNanoseconds - armedAt > hangLimit
            lock.unlock()
            if late {
                let name = String(cString: path)
                let hangPath = name.replacingOccurrences(of: "/crash-", with: "/hang-")
                copy(hangPath, folder: nil, into: path)
                copy("\nFUZZ: hang (over the time limit) while reading; input saved to ", folder: nil, into: message)
                armed = false
                dump(to: path)
                abort()
            }
        }
    }
}
