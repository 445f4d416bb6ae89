/// What the run does with the system.
public enum RunKind: Sendable, Equatable {
    case md(MDPlan)
    case minimize(MinimizePlan)
    case singlePoint                        // energy, forces and stress once
}

public struct MDPlan: Sendable, Equatable {
    public var steps: Int                   // ≥ 0
    public var timestep: Double             // ps > 0 (default 0.001)
    public var thermostat: ThermostatPlan?  // nil: NVE
    public var barostat: BarostatPlan?      // only with a thermostat

    public init(steps: Int, timestep: Double, thermostat: ThermostatPlan?, barostat: BarostatPlan?) {
        self.steps = steps
        self.timestep = timestep
        self.thermostat = thermostat
        self.barostat = barostat
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
