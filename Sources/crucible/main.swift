import ArgumentParser
import CMemory
import CrucibleEngine
import CrucibleML
import Foundation

/// The command line composes the engine; it holds no physics.
struct Crucible: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crucible",
        abstract: "Molecular dynamics and Monte Carlo of materials, driven by a YAML deck.",
        version: CrucibleVersion.string,
        subcommands: [Run.self, Melt.self, Validate.self, Eval.self, Features.self, Fit.self])
}

/// Prints an input error the way users should see it and exits non-zero (never a crash).
func fail(_ error: Error) -> ExitCode {
    FileHandle.standardError.write(Data(("error: " + String(describing: error) + "\n").utf8))
    return ExitCode(1)
}

/// The options of the commands that run a deck.
struct RunFlags: ParsableArguments {
    @Option(help: "Worker threads (overrides the deck's `threads`).") var threads: Int?
    @Option(help: "Stop MD or minimisation after this many steps (shortened runs; a melt deck caps each stage).") var maxSteps: Int?
    @Option(help: "Write every output file into this folder (a melt deck: its stages, instead of melt.directory).") var outputDir: String?
    @Flag(help: "No thermo lines or progress on the terminal.") var quiet = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let maxSteps, maxSteps < 0 { throw ValidationError("--max-steps must be 0 or more") }
    }
}

/// Runs a deck and prints its closing lines; SIGINT/SIGTERM end it with a checkpoint and exit 128 + signal.
func execute(deck: String, flags: RunFlags, restart: Bool = false, meltOnly: Bool = false) throws {
    StopRequest.install()
    do {
        let plan = try loadDeck(path: deck)
        if meltOnly, case .melt = plan.run {} else if meltOnly {
            throw InputError(file: deck, key: "melt", "this deck has no melt block; `crucible melt` runs the melting-point workflow (use `crucible run` for other decks)")
        }
        let options = RunOptions(maxSteps: flags.maxSteps, outputDirectory: flags.outputDir, threads: flags.threads, quiet: flags.quiet, restart: restart)
        var simulation = try Simulation(plan: plan, options: options)
        let summary = try simulation.run()
        for line in summary.notes { print(line) }
        if case .melt = plan.run {
            print(String(format: "melt: %.1f s wall time", summary.loopSeconds))
        } else {
            print(summary.report)
        }
    } catch let interrupted as RunInterrupted {
        FileHandle.standardError.write(Data((interrupted.description + "\n").utf8))
        throw ExitCode(128 + interrupted.signal)
    } catch {
        throw fail(error)
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a deck.")
    @Argument(help: "The deck (YAML).") var deck: String
    @OptionGroup var flags: RunFlags
    @Flag(help: "Continue from the deck's checkpoint (output.checkpoint) instead of starting afresh.") var restart = false

    func run() throws { try execute(deck: deck, flags: flags, restart: restart) }
}

struct Melt: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Melting point by interface pinning: run a deck's melt block (resumes its stages after an interruption).")
    @Argument(help: "The deck (YAML) with a melt block.") var deck: String
    @OptionGroup var flags: RunFlags

    func run() throws { try execute(deck: deck, flags: flags, meltOnly: true) }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a deck (and the files it names) without running it.")
    @Argument(help: "The deck (YAML).") var deck: String

    func run() throws {
        do {
            let plan = try loadDeck(path: deck)
            let simulation = try Simulation(plan: plan, options: RunOptions(quiet: true))
            print("\(deck): valid (\(simulation.configuration.count) atoms, potential \(simulation.potential.name), cutoff \(simulation.potential.cutoff) Å)")
        } catch {
            throw fail(error)
        }
    }
}

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Energies, forces, per-atom energies and stress of every frame of an extended-XYZ file.",
        discussion: "The potential is the deck's `potential` block, or an ML model file given with --model (then no deck). Results are written under ASE's keys; reference values already in the input are kept as reference_* and compared (MAE, RMSE).")
    @Argument(help: "The deck giving the potential (omitted with --model), then the input frames (extended XYZ).") var paths: [String]
    @Option(help: "An ML model file (from crucible fit) instead of a deck.") var model: String?
    @Option(name: .shortAndLong, help: "Output file (extended XYZ).") var output: String = "evaluated.xyz"
    @Option(help: "Worker threads.") var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if paths.count != (model == nil ? 2 : 1) {
            throw ValidationError(model == nil ? "give the deck and the input frames" : "with --model, give only the input frames")
        }
    }

    func run() throws {
        do {
            let evaluation = try model.map { Evaluation(modelPath: $0, threads: threads ?? 1) }
                ?? Evaluation(plan: try loadDeck(path: paths[0]), threads: threads)
            let errors = try evaluation.run(input: paths.last!, output: output)
            print(errors.report)
            print("wrote \(output)")
        } catch {
            throw fail(error)
        }
    }
}

// glibc raises its mmap threshold each time a large block is freed, after which large per-atom
// arrays come from the heap and freed ones stay resident. A fixed threshold keeps every array over
// 1 MB in its own mapping, returned to the system when freed (the neighbour-list rebuild frees its
// blocks as it assembles the list), which keeps the peak memory of large systems down.
_ = crucible_fix_mmap_threshold(1 << 20)
// No idle OpenBLAS threads spinning beside the engine's own (BLAS runs on the caller's thread).
BLASThreads.keepCallerThreadOnly()
// Plugin potentials: deck keyword → builder (the engine names no plugin type).
PotentialPlugins.register(MLPlugin.keyword) { plan, species in
    try MLTerm.potential(modelPath: plan.files["model"]!, speciesTable: species)
}
Crucible.main()
