/// The atoms to start from: where they come from, mass overrides and initial velocities.
public struct SystemPlan: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case structure(StructureFilePlan)
        case lattice(LatticePlan)
    }

    public var source: Source
    public var masses: [String: Double]     // amu > 0, per element symbol; overrides the element table
    public var velocities: VelocityPlan?    // nil: keep the structure's velocities, or start at rest

    public init(source: Source, masses: [String: Double], velocities: VelocityPlan?) {
        self.source = source
        self.masses = masses
        self.velocities = velocities
    }
}

public struct StructureFilePlan: Sendable, Equatable {
    public var path: String                 // absolute path of an extended XYZ file (.xyz or .extxyz)
    public var frame: Int                   // frame index; negative counts from the end (default -1: the last)

    public init(path: String, frame: Int) {
        self.path = path
        self.frame = frame
    }
}

/// Maxwell–Boltzmann velocities drawn at the start.
public struct VelocityPlan: Sendable, Equatable {
    public var temperature: Double          // K ≥ 0
    public var seed: UInt64                 // default: the master seed

    public init(temperature: Double, seed: UInt64) {
        self.temperature = temperature
        self.seed = seed
    }
}
