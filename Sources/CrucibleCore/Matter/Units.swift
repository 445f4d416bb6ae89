/// Metal units, as LAMMPS `units metal` and ASE: eV, Å, ps, amu, K, bar.
/// Everything inside Crucible is in these units; conversions happen only at the edges.
public enum Units {
    /// Boltzmann constant, eV/K (CODATA 2018, exact).
    public static let boltzmann = 8.617333262e-5
    /// Kinetic energy of 1 amu moving at 1 Å/ps, in eV: m v² → eV.
    /// (1.66053906660e-27 kg · 1e4 m²/s²) / 1.602176634e-19 J.
    public static let kineticToEV = 1.0364269656262175e-4
    /// Pressure of 1 eV/Å³ in bar (1.602176634e-19 J / 1e-30 m³ = 1.602176634e11 Pa).
    public static let pressureToBar = 1.602176634e6
    /// Reduced Planck constant, eV·ps (CODATA 2018: 6.582119569e-16 eV·s).
    public static let hbar = 6.582119569e-4
}
