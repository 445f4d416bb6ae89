/// The thermodynamic state a replica samples: what replica exchange permutes between replicas, kept
/// apart from the microstates (`MDState`). Integrators, thermostats and barostats read their targets
/// from here, so permuting states needs no change to any of them.
public struct ThermodynamicState: Equatable, Sendable {
    /// Which of the run's states this is (0…K−1, in ladder order): replica exchange moves states,
    /// with their index, between replicas; outputs by state follow it.
    public var index: Int
    /// K
    public var temperature: Double
    /// bar; nil for constant volume.
    public var pressure: Double?
    /// Hamiltonian parameters of this state by name (a bias centre, a scale on one term of a sum),
    /// read by the terms that declare them. Empty today.
    public var parameters: [String: Double]

    public init(index: Int = 0, temperature: Double, pressure: Double? = nil, parameters: [String: Double] = [:]) {
        self.index = index
        self.temperature = temperature
        self.pressure = pressure
        self.parameters = parameters
    }

    /// k_B T, eV.
    public var thermalEnergy: Double { Units.boltzmann * temperature }
}
