/// One microstate of a replica (a bead; one per replica without path integrals) and what the
/// integrator carries between steps.
public struct MDState: Sendable {
    public var configuration: Configuration
    /// Result of the last force evaluation (forces, energy, virial) for `configuration`.
    public var evaluation = PotentialResult()
    /// This microstate's dynamics stream (thermostat and barostat noise), keyed by (dynamics, replica, bead).
    public var random: RandomStream
    public var step = 0
    /// ps
    public var time = 0.0
    /// Energy the thermostat and barostat have put into the system so far, eV: the conserved
    /// quantity is the total energy (plus P·V under a barostat) minus this.
    public var bathEnergy = 0.0

    public init(configuration: Configuration, random: RandomStream) {
        self.configuration = configuration
        self.random = random
    }

    /// Number of kinetic degrees of freedom: 3N − 3 (total momentum is removed), as LAMMPS counts them.
    public var degreesOfFreedom: Int { max(1, 3 * configuration.count - 3) }

    /// Instantaneous temperature, K.
    public var temperature: Double {
        2 * configuration.kineticEnergy / (Double(degreesOfFreedom) * Units.boltzmann)
    }

    /// Pressure tensor including the kinetic part, bar (Voigt xx yy zz yz xz xy).
    public var pressureTensor: [Double] {
        let volume = configuration.cell.volume
        let kinetic = configuration.kineticTensor
        return (0..<6).map { (kinetic[$0] + evaluation.virial[$0]) / volume * Units.pressureToBar }
    }

    /// Scalar pressure, bar.
    public var pressure: Double { let p = pressureTensor; return (p[0] + p[1] + p[2]) / 3 }
}
