/// What the run writes, besides the terminal.
public struct OutputPlan: Sendable, Equatable {
    public var thermo: ThermoOutputPlan
    public var trajectory: TrajectoryOutputPlan?  // nil: no trajectory
    public var finalStructurePath: String?        // absolute extended XYZ path (.xyz or .extxyz), or nil
    public var checkpoint: CheckpointPlan?        // nil: no checkpoints
    public var sro: SROPlan?                      // nil: no short-range order analysis
    public var compositionProfile: CompositionProfilePlan?  // nil: none

    public init(thermo: ThermoOutputPlan, trajectory: TrajectoryOutputPlan?, finalStructurePath: String?,
                checkpoint: CheckpointPlan? = nil, sro: SROPlan? = nil, compositionProfile: CompositionProfilePlan? = nil) {
        self.thermo = thermo
        self.trajectory = trajectory
        self.finalStructurePath = finalStructurePath
        self.checkpoint = checkpoint
        self.sro = sro
        self.compositionProfile = compositionProfile
    }
}

/// Composition in `bins` slabs along a cell vector, sampled every `every` steps.
public struct CompositionProfilePlan: Sendable, Equatable {
    public enum Axis: String, Sendable, Equatable, CaseIterable { case x, y, z }
    public var every: Int                   // steps ≥ 1 (default 100)
    public var axis: Axis                   // x, y, z: along the first, second, third cell vector (default z)
    public var bins: Int                    // ≥ 1 (default 20)
    public var path: String?                // CSV of every sample; nil: averages on the terminal only
    public var start: Int                   // samples before this step are not averaged (default 0)

    public init(every: Int, axis: Axis, bins: Int, path: String?, start: Int) {
        self.every = every; self.axis = axis; self.bins = bins; self.path = path; self.start = start
    }
}

/// Warren–Cowley short-range order, sampled every `every` steps in shells bounded by `shells`.
public struct SROPlan: Sendable, Equatable {
    public var every: Int                   // steps ≥ 1 between samples (default 100)
    public var shells: [Double]             // Å, increasing outer radii of the shells (shell k: shells[k−1] ≤ r < shells[k])
    public var path: String?                // CSV of every sample; nil: averages on the terminal only
    /// Samples before this step are not averaged (equilibration), default 0.
    public var start: Int

    public init(every: Int, shells: [Double], path: String?, start: Int) {
        self.every = every; self.shells = shells; self.path = path; self.start = start
    }
}

/// Checkpoints of the whole MD state, written atomically every `every` steps and at the end.
public struct CheckpointPlan: Sendable, Equatable {
    public var path: String                 // absolute path (.h5)
    public var every: Int                   // steps ≥ 1 between checkpoints (default 1000)

    public init(path: String, every: Int) {
        self.path = path
        self.every = every
    }
}

public struct ThermoOutputPlan: Sendable, Equatable {
    /// Thermo columns, in metal units: ps, K, eV, bar, Å³, g/cm³, Å.
    public enum Column: String, Sendable, Equatable, CaseIterable {
        case step, time, temperature, potential, kinetic, total, conserved, pressure, volume, density
        case pxx, pyy, pzz, pxy, pxz, pyz, lx, ly, lz
        /// The replica's thermodynamic state (index, target temperature): they change with replica exchange.
        case state, target_temperature
        /// Acceptance ratio of each Monte Carlo move so far.
        case swap_acceptance, semi_grand_acceptance
        /// One column per element, `x_Fe`, …: the fraction of atoms of each element.
        case concentrations
        /// Path integrals: the primitive kinetic-energy estimator and the ring polymer's spring energy.
        case kinetic_primitive, spring
        /// One column per element, `kinetic_Fe`, …: the kinetic energy of its atoms (centroid virial
        /// under path integrals).
        case kinetic_by_species
        /// Collective variables of the potential's bias terms, one column each (`cv_<name>`), and the
        /// total bias energy (eV).
        case cv, bias
    }

    public static let defaultColumns: [Column] =
        [.step, .time, .temperature, .potential, .kinetic, .total, .conserved, .pressure, .volume]

    public var every: Int                   // steps ≥ 1 between rows (default 100)
    public var path: String?                // absolute CSV path; nil: terminal only
    public var columns: [Column]            // in the order given, no repeats

    public init(every: Int, path: String?, columns: [Column]) {
        self.every = every
        self.path = path
        self.columns = columns
    }
}

public struct TrajectoryOutputPlan: Sendable, Equatable {
    public enum Field: String, Sendable, Equatable, CaseIterable {
        case position, velocity, force
    }

    /// One file per replica, or per thermodynamic state (demultiplexed under replica exchange).
    public enum Grouping: String, Sendable, Equatable, CaseIterable { case replica, state }

    public var path: String                 // absolute H5MD path (.h5 or .h5md)
    public var every: Int                   // steps ≥ 1 between frames (default 100)
    public var fields: [Field]              // no repeats (default [position])
    public var by: Grouping?                // nil: by state with replica exchange, else by replica
    public var beads: Bool                  // path integrals: also one file per bead (default false: centroids only)

    public init(path: String, every: Int, fields: [Field], by: Grouping? = nil, beads: Bool = false) {
        self.path = path
        self.every = every
        self.fields = fields
        self.by = by
        self.beads = beads
    }
}
