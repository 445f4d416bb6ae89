/// The thermodynamic state a replica samples: what replica exchange will permute between replicas,
/// kept apart from the microstate (`MDState`).
public struct ThermodynamicState: Equatable, Sendable {
    /// K
    public var temperature: Double
    /// bar; nil for constant volume.
    public var pressure: Double?

    public init(temperature: Double, pressure: Double? = nil) {
        self.temperature = temperature
        self.pressure = pressure
    }

    /// k_B T, eV.
    public var thermalEnergy: Double { Units.boltzmann * temperature }
}
