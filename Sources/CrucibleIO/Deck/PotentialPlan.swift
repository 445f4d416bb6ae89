/// One term of the potential energy; a deck's terms are summed.
public enum PotentialTermPlan: Sendable, Equatable {
    case lennardJones(LennardJonesPlan)
    case eam(EAMPlan)
}

public struct LennardJonesPlan: Sendable, Equatable {
    public var cutoff: Double               // Å > 0: the global cutoff, or the largest pair cutoff when none is global
    public var shift: Bool                  // shift each pair's energy to zero at its cutoff (default false)
    public var pairs: [LennardJonesPairPlan] // ≥ 1, no species pair twice

    public init(cutoff: Double, shift: Bool, pairs: [LennardJonesPairPlan]) {
        self.cutoff = cutoff
        self.shift = shift
        self.pairs = pairs
    }
}

public struct LennardJonesPairPlan: Sendable, Equatable {
    public var first: String                // element symbol
    public var second: String               // element symbol (may equal first)
    public var epsilon: Double              // eV ≥ 0, well depth
    public var sigma: Double                // Å > 0, zero-crossing distance
    public var cutoff: Double               // Å > 0, this pair's own cutoff or else the global one

    public init(first: String, second: String, epsilon: Double, sigma: Double, cutoff: Double) {
        self.first = first
        self.second = second
        self.epsilon = epsilon
        self.sigma = sigma
        self.cutoff = cutoff
    }
}

public struct EAMPlan: Sendable, Equatable {
    public enum Format: String, Sendable, Equatable, CaseIterable {
        case funcfl                         // .eam: one element per file
        case setfl                          // .eam.alloy
        case fs                             // .eam.fs: Finnis–Sinclair
    }

    public var format: Format
    public var files: [String]              // absolute paths: one file, or several funcfl files (LAMMPS mixing)
    public var species: [String]            // funcfl: element per file, same order; setfl/fs: empty (the file names them)

    public init(format: Format, files: [String], species: [String]) {
        self.format = format
        self.files = files
        self.species = species
    }
}
