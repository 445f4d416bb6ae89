/// Stochastic cell rescaling (Bernetti & Bussi, JCP 153, 114107 (2020)): a first-order stochastic
/// equation for the logarithm of the cell lengths that samples the isothermal–isobaric ensemble, with
/// correct volume fluctuations. Isotropic (one variable, ln V) or anisotropic (one variable ln L_α per
/// free Cartesian axis; the other axes stay fixed, e.g. only z free for solid–liquid coexistence).
public struct Barostat: Equatable, Sendable {
    public enum Coupling: Equatable, Sendable {
        case isotropic
        /// Free axes among x, y, z (0, 1, 2).
        case anisotropic(axes: [Int])
    }

    public var coupling: Coupling
    /// Relaxation time of the volume, ps.
    public var tau: Double
    /// Isothermal compressibility used to set the mobility, 1/bar (only the relaxation speed depends on it).
    public var compressibility: Double

    public init(coupling: Coupling, tau: Double, compressibility: Double) {
        self.coupling = coupling; self.tau = tau; self.compressibility = compressibility
    }
}

extension MDState {
    /// One Euler–Maruyama step of the cell over `dt` towards `pressure` (bar): dε = (β_T/τ)(P − P₀)dt +
    /// √(2 k_BT β_T dt/(V τ)) dW, with positions scaled by e^{dε} and velocities by e^{−dε} along each
    /// free axis. (With ε = ln V and this V-dependent noise, the Itô drift needs no k_BT/V term: its
    /// stationary law is V^{N+1} e^{−β(U + P₀V)} in ε, the NPT ensemble.)
    /// The potential-energy change is taken to first order, −W_αα dε_α, for the conserved quantity.
    mutating func barostatStep(_ barostat: Barostat, dt: Double, temperature: Double, pressure target: Double) {
        let volume = configuration.cell.volume
        let p = pressureTensor
        let kTOverV = Units.boltzmann * temperature / volume * Units.pressureToBar  // bar
        let mobility = barostat.compressibility * dt / barostat.tau
        let noise = (2 * kTOverV * mobility).squareRoot()
        var strain = [0.0, 0.0, 0.0]  // dε per Cartesian axis
        switch barostat.coupling {
        case .isotropic:
            let dLnV = mobility * ((p[0] + p[1] + p[2]) / 3 - target) + noise * random.normal()
            strain = [dLnV / 3, dLnV / 3, dLnV / 3]
        case .anisotropic(let axes):
            for axis in axes { strain[axis] = mobility * (p[axis] - target) + noise * random.normal() }
        }
        let kineticBefore = configuration.kineticEnergy
        let scale = strain.map { _exp($0) }
        for i in 0..<configuration.count {
            for d in 0..<3 {
                configuration.positions[3 * i + d] *= scale[d]
                configuration.velocities[3 * i + d] /= scale[d]
            }
        }
        for r in 0..<3 { for d in 0..<3 { configuration.cell.matrix[3 * r + d] *= scale[d] } }
        let work = -(0..<3).reduce(0.0) { $0 + evaluation.virial[$1] * strain[$1] }
        let pv = target / Units.pressureToBar * (configuration.cell.volume - volume)
        bathEnergy += configuration.kineticEnergy - kineticBefore + work + pv
    }
}
