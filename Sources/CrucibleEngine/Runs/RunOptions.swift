/// Command-line adjustments of a deck's run (they never change the physics of a step).
public struct RunOptions: Sendable {
    /// Cap on MD or minimisation steps (CI runs every example shortened).
    public var maxSteps: Int?
    /// Write every output file into this folder instead of where the deck says.
    public var outputDirectory: String?
    /// Overrides the deck's thread count.
    public var threads: Int?
    /// No progress lines.
    public var quiet = false
    /// Continue from the deck's checkpoint file instead of starting afresh.
    public var restart = false

    public init(maxSteps: Int? = nil, outputDirectory: String? = nil, threads: Int? = nil, quiet: Bool = false, restart: Bool = false) {
        self.maxSteps = maxSteps; self.outputDirectory = outputDirectory; self.threads = threads; self.quiet = quiet
        self.restart = restart
    }

    /// Where replica `replica`'s copy of an output file goes: with several replicas (a `replicas`
    /// block) the index goes before the extension, "thermo.csv" → "thermo.r2.csv"; then `place`.
    func place(_ path: String, replica: Int?) -> String {
        guard let replica else { return place(path) }
        return place(path, tag: "r\(replica)")
    }

    /// Where thermodynamic state `state`'s file goes (outputs by state under replica exchange):
    /// "traj.h5md" → "traj.s2.h5md".
    func place(_ path: String, state: Int) -> String { place(path, tag: "s\(state)") }

    /// Where bead `bead`'s file of an output goes (path integrals): "traj.s2.h5md" → "traj.s2.b5.h5md".
    func place(_ path: String, bead: Int) -> String { place(path, tag: "b\(bead)") }

    private func place(_ path: String, tag: String) -> String {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        let folder = String(path.dropLast(name.count))
        let cut = name.lastIndex(of: ".") ?? name.endIndex
        return place(folder + name[..<cut] + ".\(tag)" + name[cut...])
    }

    /// Where an output file goes: the deck's path, or the same file name inside `outputDirectory`.
    func place(_ path: String) -> String {
        guard let outputDirectory else { return path }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return outputDirectory.hasSuffix("/") ? outputDirectory + name : outputDirectory + "/" + name
    }
}
