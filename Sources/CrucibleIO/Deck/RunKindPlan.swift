/// What the run does with the system.
public enum RunKind: Sendable, Equatable {
    case md(MDPlan)
    case minimize(MinimizePlan)
    case singlePoint                        // energy, forces and stress once
    case melt(MeltPlan)                     // the interface-pinning melting-point workflow
}

public struct MDPlan: Sendable, Equatable {
    public var steps: Int                   // ≥ 0
    public var timestep: Double             // ps > 0 (default 0.001)
    public var thermostat: ThermostatPlan?  // nil: NVE
    public var barostat: BarostatPlan?      // only with a thermostat
    public var pathIntegral: PathIntegralPlan?  // nil: classical; needs a thermostat (its temperature sets the springs)

    public init(steps: Int, timestep: Double, thermostat: ThermostatPlan?, barostat: BarostatPlan?, pathIntegral: PathIntegralPlan? = nil) {
        self.steps = steps
        self.timestep = timestep
        self.thermostat = thermostat
        self.barostat = barostat
        self.pathIntegral = pathIntegral
    }
}

/// `md.path_integral`: ring polymers of P beads (see CrucibleCore's `RingPolymer`).
public struct PathIntegralPlan: Sendable, Equatable {
    public enum Propagator: String, Sendable, Equatable, CaseIterable {
        case exact, cayley
    }

    public enum Centroid: String, Sendable, Equatable, CaseIterable {
        /// md.thermostat acts on the centroid (Langevin: PILE-L; CSVR: PILE-G).
        case thermostat
        /// No thermostat on the centroid (TRPMD; RPMD with lambda 0).
        case free
    }

    public var beads: Int                   // ≥ 1
    public var lambda: Double               // ≥ 0: internal-mode friction γ_k = 2λω_k (default 1; trpmd 0.5)
    public var centroid: Centroid           // default thermostat (trpmd: free)
    public var propagator: Propagator       // default exact

    public init(beads: Int, lambda: Double = 1, centroid: Centroid = .thermostat, propagator: Propagator = .exact) {
        self.beads = beads
        self.lambda = lambda
        self.centroid = centroid
        self.propagator = propagator
    }
}

public enum ThermostatPlan: Sendable, Equatable {
    case langevin(temperature: Double, damping: Double)   // K ≥ 0; ps > 0 (damping = 1/γ)
    case csvr(temperature: Double, tau: Double)           // K ≥ 0; ps > 0 (Bussi–Donadio–Parrinello)
}

public struct BarostatPlan: Sendable, Equatable {
    public enum Coupling: Sendable, Equatable {
        case isotropic
        case anisotropic(axes: [Axis])      // free axes in x, y, z order, ≥ 1 (default all three)
    }

    public enum Axis: String, Sendable, Equatable, CaseIterable {
        case x, y, z
    }

    public var pressure: Double             // bar (default 1.0)
    public var tau: Double                  // ps > 0 (default 1.0)
    public var compressibility: Double      // 1/bar > 0 (default 1.0e-6)
    public var coupling: Coupling           // default isotropic

    public init(pressure: Double, tau: Double, compressibility: Double, coupling: Coupling) {
        self.pressure = pressure
        self.tau = tau
        self.compressibility = compressibility
        self.coupling = coupling
    }
}

public struct MinimizePlan: Sendable, Equatable {
    public enum Algorithm: String, Sendable, Equatable, CaseIterable {
        case fire
    }

    public var algorithm: Algorithm         // default fire
    public var maxForce: Double             // eV/Å > 0: converged when every force is below this (default 1e-4)
    public var energyChange: Double         // eV ≥ 0: converged when |ΔE| per step is below this; 0 turns it off (default 0)
    public var maxSteps: Int                // ≥ 1 (default 10000)
    public var cell: CellRelaxPlan?         // nil: fixed cell

    public init(algorithm: Algorithm, maxForce: Double, energyChange: Double, maxSteps: Int, cell: CellRelaxPlan?) {
        self.algorithm = algorithm
        self.maxForce = maxForce
        self.energyChange = energyChange
        self.maxSteps = maxSteps
        self.cell = cell
    }
}

public struct CellRelaxPlan: Sendable, Equatable {
    /// Same spellings as CrucibleCore's `CellRelaxation.Coupling`.
    public enum Coupling: String, Sendable, Equatable, CaseIterable {
        case isotropic, anisotropic, triclinic
    }

    public var pressure: Double             // bar, target (default 0)
    public var coupling: Coupling           // default anisotropic

    public init(pressure: Double, coupling: Coupling) {
        self.pressure = pressure
        self.coupling = coupling
    }
}
