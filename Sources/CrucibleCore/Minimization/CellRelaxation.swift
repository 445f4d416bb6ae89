/// Relax the cell as well as the atoms, towards a hydrostatic target pressure. The minimiser then
/// minimises the enthalpy H = E + P V over the positions and the deformations the coupling allows.
public struct CellRelaxation: Equatable, Sendable {
    /// Which cell deformations are allowed.
    public enum Coupling: String, CaseIterable, Sendable {
        /// One scale factor: the shape is kept, only the volume changes (LAMMPS `iso`).
        case isotropic
        /// Each edge vector a, b, c scales by its own factor: lengths change, angles are kept
        /// (the cell geometry of LAMMPS `aniso` with its default tilt scaling). Converges where
        /// a_k·(σ + P I)·b_k = 0 for each edge (b_k reciprocal), the true enthalpy minimum over these
        /// cells; for an orthogonal cell that is σ_xx = σ_yy = σ_zz = −P. LAMMPS drives its own
        /// frame's Pxx, Pyy, Pzz instead, which for a tilted cell is not the conjugate force, so the
        /// two differ there.
        case anisotropic
        /// Any symmetric deformation: lengths and angles change (LAMMPS `tri`, ASE's cell filters).
        case triclinic
    }

    /// Target hydrostatic pressure, bar.
    public var pressure: Double
    public var coupling: Coupling
    /// Convergence tolerance on the stress residual σ + P·I over the relaxed components, bar
    /// (see `CellStrain.residualStress` for what is measured for each coupling).
    public var stressTolerance: Double

    public init(pressure: Double = 0, coupling: Coupling = .isotropic, stressTolerance: Double = 1) {
        self.pressure = pressure
        self.coupling = coupling
        self.stressTolerance = stressTolerance
    }

    /// Cell relaxation needs a cell periodic along all three axes (a free surface has no stress to balance).
    public func validate(_ cell: Cell, file: String = "deck", key: String = "minimize.cell") throws {
        guard cell.periodic.allSatisfy({ $0 }) else {
            throw InputError(file: file, key: key,
                             "cell relaxation needs a cell periodic along a, b and c; relax with a fixed cell or make the cell periodic")
        }
        guard stressTolerance > 0 else {
            throw InputError(file: file, key: key, "the stress tolerance must be positive (bar), got \(stressTolerance)")
        }
    }
}
