/// The atoms to start from: where they come from, mass overrides and initial velocities.
public struct SystemPlan: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case structure(StructureFilePlan)
        case lattice(LatticePlan)
    }

    public var source: Source
    public var masses: [String: Double]     // amu > 0, per element symbol; overrides the element table
    public var velocities: VelocityPlan?    // nil: keep the structure's velocities, or start at rest
    public var isotopes: [IsotopePlan]      // deck order; empty: none

    public init(source: Source, masses: [String: Double], velocities: VelocityPlan?, isotopes: [IsotopePlan] = []) {
        self.source = source
        self.masses = masses
        self.velocities = velocities
        self.isotopes = isotopes
    }
}

/// An isotope as a species of its own: `fraction` of the atoms of `element` (chosen at random from
/// `seed`) get the label and the mass; potentials treat them as `element`.
public struct IsotopePlan: Sendable, Equatable {
    public var label: String                // letters, digits, _; not an element symbol
    public var element: String              // element symbol
    public var mass: Double                 // amu > 0
    public var fraction: Double             // 0 < fraction ≤ 1 (default 1: every atom of the element)
    public var seed: UInt64                 // the deck's seed

    public init(label: String, element: String, mass: Double, fraction: Double, seed: UInt64) {
        self.label = label; self.element = element; self.mass = mass; self.fraction = fraction; self.seed = seed
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
