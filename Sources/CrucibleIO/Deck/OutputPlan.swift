/// What the run writes, besides the terminal.
public struct OutputPlan: Sendable, Equatable {
    public var thermo: ThermoOutputPlan
    public var trajectory: TrajectoryOutputPlan?  // nil: no trajectory
    public var finalStructurePath: String?        // absolute extended XYZ path (.xyz or .extxyz), or nil
    public var checkpoint: CheckpointPlan?        // nil: no checkpoints

    public init(thermo: ThermoOutputPlan, trajectory: TrajectoryOutputPlan?, finalStructurePath: String?,
                checkpoint: CheckpointPlan? = nil) {
        self.thermo = thermo
        self.trajectory = trajectory
        self.finalStructurePath = finalStructurePath
        self.checkpoint = checkpoint
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

    public var path: String                 // absolute H5MD path (.h5 or .h5md)
    public var every: Int                   // steps ≥ 1 between frames (default 100)
    public var fields: [Field]              // no repeats (default [position])

    public init(path: String, every: Int, fields: [Field]) {
        self.path = path
        self.every = every
        self.fields = fields
    }
}
