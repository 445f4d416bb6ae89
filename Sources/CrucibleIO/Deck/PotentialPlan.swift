/// One term of the potential energy; a deck's terms are summed.
public enum PotentialTermPlan: Sendable, Equatable {
    case lennardJones(LennardJonesPlan)
    case eam(EAMPlan)
    case pinning(PinningPlan)
    case plugin(PluginTermPlan)
    /// λ × another term, λ a Hamiltonian parameter a replica's state may set.
    indirect case scaled(ScaledTermPlan)

    /// The Hamiltonian parameters this term reads from a replica's state (`replicas.parameters`).
    public var parameterNames: [String] {
        switch self {
        case .pinning(let pinning): return [pinning.variable.name + ".kappa", pinning.variable.name + ".center"]
        case .scaled(let scaled): return [scaled.parameter] + scaled.term.parameterNames
        default: return []
        }
    }

    /// The term itself, or the term a `scaled` wraps.
    public var unscaled: PotentialTermPlan {
        if case .scaled(let scaled) = self { return scaled.term.unscaled }
        return self
    }
}

/// `scaled: {parameter, value, term}`: U = λ U_term.
public struct ScaledTermPlan: Sendable, Equatable {
    public var parameter: String            // letters, digits, _; names λ in `replicas.parameters` and the output du_d<parameter>
    public var value: Double                // λ when no state sets it (default 1)
    public var term: PotentialTermPlan      // lj, eam or a plugin term

    public init(parameter: String, value: Double, term: PotentialTermPlan) {
        self.parameter = parameter; self.value = value; self.term = term
    }
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

/// A harmonic bias κ/2 (Q − a)² on a collective variable (interface pinning); κ = 0 monitors Q.
public struct PinningPlan: Sendable, Equatable {
    public var variable: CollectiveVariablePlan
    public var kappa: Double                // eV per (CV unit)² ≥ 0
    public var center: Double               // a, in CV units

    public init(variable: CollectiveVariablePlan, kappa: Double, center: Double) {
        self.variable = variable; self.kappa = kappa; self.center = center
    }
}

public struct CollectiveVariablePlan: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Pedersen's Q = mean |ρ_k| over wave vectors given as integer multiples of the cell's reciprocal vectors.
        case fourier(vectors: [[Int]])
        /// Global Steinhardt Q_l (bond-averaged), smooth cutoff from `inner` to `cutoff` Å.
        case steinhardt(degree: Int, inner: Double, cutoff: Double)
        /// Number of atoms whose locally averaged q_l exceeds `threshold` (PLUMED's rational switch, nn, mm).
        case solidCount(degree: Int, inner: Double, cutoff: Double, threshold: Double, nn: Int, mm: Int)
    }

    public var kind: Kind
    public var name: String                 // output label (cv_<name>); default the kind's keyword
    public var species: [String]?           // atoms counted; nil: all

    public init(kind: Kind, name: String, species: [String]?) { self.kind = kind; self.name = name; self.species = species }
}

/// A potential term supplied by a plugin module (e.g. `ml` from CrucibleML): the deck knows its
/// keyword and keys (`PluginSection.schemas`), the engine finds its builder in `PotentialPlugins`.
public struct PluginTermPlan: Sendable, Equatable {
    public var keyword: String
    /// Keys naming files, resolved to absolute paths that exist.
    public var files: [String: String]
    public init(keyword: String, files: [String: String]) {
        self.keyword = keyword
        self.files = files
    }
}
