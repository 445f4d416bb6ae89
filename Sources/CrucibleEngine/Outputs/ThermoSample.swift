/// The thermodynamic quantities of one step, in metal units, as the thermo log reports them.
public struct ThermoSample: Sendable {
    public var step: Int
    public var time: Double          // ps
    public var temperature: Double   // K
    public var potential: Double     // eV
    public var kinetic: Double       // eV
    public var conserved: Double     // eV
    public var pressureTensor: [Double]  // bar, Voigt xx yy zz yz xz xy
    public var cell: Cell
    public var totalMass: Double     // amu
    /// The thermodynamic state sampled (changes under replica exchange).
    public var stateIndex = 0
    public var targetTemperature = 0.0  // K
    /// Acceptance ratio of each Monte Carlo move so far, by move name.
    public var acceptance: [String: Double] = [:]
    /// Fraction of atoms of each species of the table, and the species' symbols.
    public var concentrations: [Double] = []
    public var symbols: [String] = []
    /// Kinetic energy of the atoms of each species, eV.
    public var kineticBySpecies: [Double] = []
    /// Path integrals: primitive kinetic estimator and spring energy, eV (0 without).
    public var kineticPrimitive = 0.0
    public var spring = 0.0
    /// The collective variables reported by bias terms (potential order) and the total bias energy, eV.
    public var variables: [Double] = []
    public var bias = 0.0

    public var total: Double { potential + kinetic }
    public var pressure: Double { (pressureTensor[0] + pressureTensor[1] + pressureTensor[2]) / 3 }
    public var volume: Double { cell.volume }
    /// g/cm³ (1 amu/Å³ = 1.66053906660 g/cm³).
    public var density: Double { totalMass / volume * 1.66053906660 }

    /// The sample of `replica` with its state and Monte Carlo statistics: its bead, or under path
    /// integrals the ring polymer's estimators (`potential` the bead average, `kinetic` and
    /// `kinetic_by_species` the centroid-virial estimator, `pressure` and its components the
    /// centroid-virial pressure, `temperature` the beads' kinetic temperature, `conserved` H_P per bead).
    init(replica: Replica, integrator: MDIntegrator) {
        let bead = replica.beads[0]
        self.init(state: bead, conserved: integrator.conservedEnergy(bead, at: replica.thermodynamics))
        if let ring = integrator.pathIntegral {
            let estimators = RingPolymerEstimators(replica, ring: ring, barostat: integrator.barostat != nil)
            temperature = estimators.temperature
            potential = estimators.potential
            kinetic = estimators.kineticVirial
            kineticBySpecies = estimators.kineticVirialBySpecies
            kineticPrimitive = estimators.kineticPrimitive
            spring = estimators.spring
            conserved = estimators.conserved
            pressureTensor = estimators.pressureTensor
            // Under path integrals the variables and the bias are bead averages.
            let perBead = replica.beads.map { Self.biasTerms($0.evaluation) }
            variables = perBead[0].variables.indices.map { k in perBead.reduce(0) { $0 + $1.variables[k] } / Double(perBead.count) }
            bias = perBead.reduce(0) { $0 + $1.bias } / Double(perBead.count)
        }
        stateIndex = replica.thermodynamics.index
        targetTemperature = replica.thermodynamics.temperature
        acceptance = replica.monteCarlo.statistics.mapValues(\.acceptance)
    }

    public init(state: MDState, conserved: Double) {
        step = state.step
        time = state.time
        temperature = state.temperature
        potential = state.evaluation.energy
        kinetic = state.configuration.kineticEnergy
        self.conserved = conserved
        pressureTensor = state.pressureTensor
        cell = state.configuration.cell
        totalMass = state.configuration.totalMass
        (symbols, concentrations) = Self.composition(state.configuration)
        kineticBySpecies = Self.kineticBySpecies(state.configuration)
        (variables, bias) = Self.biasTerms(state.evaluation)
    }

    /// The values named `cv.*` and the sum of those named `bias.*` in an evaluation's extras.
    static func biasTerms(_ result: PotentialResult) -> (variables: [Double], bias: Double) {
        (result.extras.filter { $0.name.hasPrefix("cv.") }.map(\.value),
         result.extras.filter { $0.name.hasPrefix("bias.") }.reduce(0) { $0 + $1.value })
    }

    static func kineticBySpecies(_ configuration: Configuration) -> [Double] {
        var sums = [Double](repeating: 0, count: configuration.speciesTable.count)
        let masses = configuration.speciesTable.masses
        for i in 0..<configuration.count {
            let s = Int(configuration.species[i])
            var v2 = 0.0
            for d in 0..<3 { v2 += configuration.velocities[3 * i + d] * configuration.velocities[3 * i + d] }
            sums[s] += 0.5 * masses[s] * v2 * Units.kineticToEV
        }
        return sums
    }

    static func composition(_ configuration: Configuration) -> ([String], [Double]) {
        var counts = [Int](repeating: 0, count: configuration.speciesTable.count)
        for s in configuration.species { counts[Int(s)] += 1 }
        return (configuration.speciesTable.symbols, counts.map { Double($0) / Double(max(1, configuration.count)) })
    }

    /// The values of `column` (one, except `concentrations` and `kinetic_by_species`: one per species).
    public func values(_ column: ThermoOutputPlan.Column) -> [Double] {
        switch column {
        case .concentrations: return concentrations
        case .kinetic_by_species: return kineticBySpecies
        case .cv: return variables
        default: return [value(column)]
        }
    }

    public func value(_ column: ThermoOutputPlan.Column) -> Double {
        switch column {
        case .step: return Double(step)
        case .time: return time
        case .temperature: return temperature
        case .potential: return potential
        case .kinetic: return kinetic
        case .total: return total
        case .conserved: return conserved
        case .pressure: return pressure
        case .volume: return volume
        case .density: return density
        case .pxx: return pressureTensor[0]
        case .pyy: return pressureTensor[1]
        case .pzz: return pressureTensor[2]
        case .pyz: return pressureTensor[3]
        case .pxz: return pressureTensor[4]
        case .pxy: return pressureTensor[5]
        case .lx: return cell.lengths[0]
        case .ly: return cell.lengths[1]
        case .lz: return cell.lengths[2]
        case .state: return Double(stateIndex)
        case .target_temperature: return targetTemperature
        case .swap_acceptance: return acceptance["swap"] ?? 0
        case .semi_grand_acceptance: return acceptance["semi_grand"] ?? 0
        case .concentrations: return concentrations.first ?? 0
        case .kinetic_primitive: return kineticPrimitive
        case .spring: return spring
        case .kinetic_by_species: return kineticBySpecies.first ?? 0
        case .cv: return variables.first ?? 0
        case .bias: return bias
        }
    }
}

extension ThermoOutputPlan.Column {
    public var unit: String {
        switch self {
        case .step, .state, .swap_acceptance, .semi_grand_acceptance, .concentrations, .cv: return ""
        case .target_temperature: return "K"
        case .time: return "ps"
        case .temperature: return "K"
        case .potential, .kinetic, .total, .conserved, .kinetic_primitive, .spring, .kinetic_by_species, .bias: return "eV"
        case .pressure, .pxx, .pyy, .pzz, .pxy, .pxz, .pyz: return "bar"
        case .volume: return "A^3"
        case .density: return "g/cm^3"
        case .lx, .ly, .lz: return "A"
        }
    }
}

extension ThermoSample {
    /// A minimisation step: no kinetic energy; the conserved column reports the enthalpy E + P·V.
    public init(minimization p: MinimizationProgress, configuration: Configuration) {
        step = p.step
        time = 0
        temperature = 0
        potential = p.energy
        kinetic = 0
        conserved = p.enthalpy
        kineticBySpecies = [Double](repeating: 0, count: configuration.speciesTable.count)
        pressureTensor = p.stress.map { -$0 * Units.pressureToBar }
        cell = configuration.cell
        totalMass = configuration.totalMass
        (symbols, concentrations) = Self.composition(configuration)
    }
}
