/// Thermostats are components of the MD integrator; their target temperature comes from the
/// replica's `ThermodynamicState`, so replica exchange can swap it.
public enum Thermostat: Equatable, Sendable {
    /// Langevin dynamics integrated by BAOAB (Leimkuhler & Matthews, AMRX 2013, 34).
    /// damping = 1/γ, ps.
    case langevin(damping: Double)
    /// Canonical sampling through velocity rescaling (Bussi, Donadio & Parrinello, JCP 126, 014101 (2007)).
    /// tau = relaxation time, ps.
    case csvr(tau: Double)
}

extension MDState {
    /// Ornstein–Uhlenbeck step of the velocities over `dt` (the O of BAOAB); exact for any dt.
    mutating func langevinVelocityStep(dt: Double, damping: Double, temperature: Double) {
        let c1 = _exp(-dt / damping)
        let c2 = (1 - c1 * c1).squareRoot()
        let kT = Units.boltzmann * temperature
        let before = configuration.kineticEnergy
        let table = configuration.speciesTable.masses
        for i in 0..<configuration.count {
            let sigma = (kT / (table[Int(configuration.species[i])] * Units.kineticToEV)).squareRoot()
            for d in 0..<3 {
                configuration.velocities[3 * i + d] = c1 * configuration.velocities[3 * i + d] + c2 * sigma * random.normal()
            }
        }
        bathEnergy += configuration.kineticEnergy - before
    }

    /// Bussi–Donadio–Parrinello rescaling of the kinetic energy over `dt`.
    mutating func csvrStep(dt: Double, tau: Double, temperature: Double) {
        let kinetic = configuration.kineticEnergy
        let alpha = StochasticRescaling.factor(kinetic: kinetic, degreesOfFreedom: Double(degreesOfFreedom),
                                               temperature: temperature, dt: dt, tau: tau, random: &random)
        guard alpha != 1 else { return }
        for k in configuration.velocities.indices { configuration.velocities[k] *= alpha }
        bathEnergy += configuration.kineticEnergy - kinetic
    }
}

/// The Bussi–Donadio–Parrinello velocity scale factor, shared by classical CSVR and the PILE-G
/// centroid thermostat.
enum StochasticRescaling {
    /// α such that α² K is K evolved over `dt` by the CSVR stochastic equation at `temperature`
    /// with `degreesOfFreedom`; 1 for K = 0 (and then no random numbers are drawn).
    static func factor(kinetic: Double, degreesOfFreedom dof: Double, temperature: Double, dt: Double, tau: Double,
                       random: inout RandomStream) -> Double {
        guard kinetic > 0 else { return 1 }
        let target = 0.5 * dof * Units.boltzmann * temperature
        let c = _exp(-dt / tau)
        let r1 = random.normal()
        // Σ_{i=2}^{Nf} R_i² is χ² with Nf − 1 degrees of freedom = 2·Gamma((Nf − 1)/2).
        let rest = dof > 1 ? 2 * random.gamma(shape: 0.5 * (dof - 1)) : 0
        let newKinetic = kinetic * c + target / dof * (1 - c) * (r1 * r1 + rest)
            + 2 * r1 * (c * (1 - c) * kinetic * target / dof).squareRoot()
        var alpha = (max(newKinetic, 0) / kinetic).squareRoot()
        // Sign of α as in the reference implementation (keeps the velocity direction continuous).
        if r1 + (c * dof * kinetic / ((1 - c) * target)).squareRoot() < 0 { alpha = -alpha }
        return alpha
    }
}
