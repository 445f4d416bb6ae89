/// Path-integral settings of an MD run (Ceriotti, Parrinello, Markland & Manolopoulos, JCP 133,
/// 124104 (2010); the conventions of i-PI): every atom is a ring of P beads; bead j of a replica is
/// the replica's microstate `beads[j]`. The ring-polymer Hamiltonian, sampled at P·T, is
///   H_P = Σ_j [ Σ_i p_ij²/2m_i + V(q_j) ] + Σ_j Σ_i ½ m_i ω_P² |q_ij − q_i,j+1|²,   ω_P = P k_B T/ħ,
/// integrated in normal modes (free ring polymer propagated exactly, or by its Cayley form) with the
/// PILE thermostats: Langevin on each internal mode with γ_k = 2λω_k, and the run's thermostat on
/// the centroid (PILE-L for Langevin, PILE-G for CSVR).
public struct RingPolymer: Sendable, Equatable {
    public enum Propagator: String, Sendable, Equatable {
        /// exp(A·dt) of each free mode: exact, stable for any dt below the force's own limit.
        case exact
        /// (1 − A·dt/2)⁻¹(1 + A·dt/2): strongly stable for any P (Korol, Bou-Rabee & Miller, JCP 151, 124103 (2019)).
        case cayley
    }

    public let modes: NormalModes
    public var propagator: Propagator
    /// Internal-mode friction γ_k = 2λω_k: 1 critical damping (PILE), 0.5 TRPMD, 0 none.
    public var lambda: Double
    /// Whether the run's thermostat acts on the centroid; false for a free centroid (TRPMD, RPMD).
    public var thermostatCentroid: Bool

    public init(beads: Int, propagator: Propagator = .exact, lambda: Double = 1, thermostatCentroid: Bool = true) {
        modes = NormalModes(beads: beads)
        self.propagator = propagator
        self.lambda = lambda
        self.thermostatCentroid = thermostatCentroid
    }

    public var beads: Int { modes.beads }

    /// ω_P = P k_B T / ħ, 1/ps.
    public func springFrequency(temperature: Double) -> Double {
        Double(beads) * Units.boltzmann * temperature / Units.hbar
    }

    /// Coefficients (qq, qv, vq, vv) of the free propagation of a mode of frequency ω over dt:
    /// Q' = qq·Q + qv·V, V' = vq·Q + vv·V.
    func freePropagation(omega: Double, dt: Double) -> (qq: Double, qv: Double, vq: Double, vv: Double) {
        guard omega > 0 else { return (1, dt, 0, 1) }
        switch propagator {
        case .exact:
            let c = _cos(omega * dt), s = _sin(omega * dt)
            return (c, s / omega, -omega * s, c)
        case .cayley:
            let a = 0.25 * omega * omega * dt * dt
            return ((1 - a) / (1 + a), dt / (1 + a), -omega * omega * dt / (1 + a), (1 - a) / (1 + a))
        }
    }
}

/// Scratch of the normal-mode transforms of one replica (P × 3N each) and their FFTW plans, kept
/// between steps so no step allocates.
public struct NormalModeScratch: Sendable {
    var beadValues: [Double] = []
    var modeValues: [Double] = []
    var beadValues2: [Double] = []
    var modeValues2: [Double] = []
    var plans: NormalModePlans?

    mutating func reserve(beads: Int, columns: Int) {
        guard plans?.beads != beads || plans?.columns != columns else { return }
        beadValues = [Double](repeating: 0, count: beads * columns)
        modeValues = beadValues
        beadValues2 = beadValues
        modeValues2 = beadValues
        plans = NormalModePlans(beads: beads, columns: columns)
    }

    public init() {}
}
