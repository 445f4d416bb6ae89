/// The cell's degrees of freedom during a relaxation, as in ASE's UnitCellFilter: the deformation
/// gradient F from the starting cell H₀ (rows a, b, c), with H = H₀ Fᵀ and positions x = F r, so the
/// atoms follow the cell affinely and their own coordinates r live in the undeformed frame.
///
/// F is restricted to the coupling's subspace, F = Σ_j κ_j M_j with basis matrices M_j of unit
/// Frobenius norm (1, 3 or 6 of them; orthogonal except for the anisotropic basis of a non-orthogonal
/// cell), and the minimiser sees the scaled coordinates q_j = s κ_j.
/// Their generalized forces are −∂H/∂q_j = (G : M_j)/s with G = −∂H/∂F = (W − P V I) F⁻ᵀ, where
/// W = Σ x⊗f is the virial: they vanish exactly when the relaxed stress components equal −P.
///
/// Why s = √N (V/N)^{1/3}: then a cell coordinate has about the stiffness of one atom (B V/s² =
/// B (V/N)^{1/3}), whatever the size of the system, so one FIRE time step and one step limit suit
/// both. (ASE uses s = N, which makes the cell ever softer and slower as N grows.)
struct CellStrain {
    let coupling: CellRelaxation.Coupling
    /// Target pressure, eV/Å³.
    let pressure: Double
    /// H₀, row-major.
    let referenceCell: [Double]
    /// M_j, row-major 3×3 each, of unit Frobenius norm.
    let basis: [[Double]]
    /// κ_j of F = I.
    private let identityCoefficients: [Double]
    /// s, Å.
    let scale: Double

    init(relaxation: CellRelaxation, cell: Cell, atomCount: Int) {
        coupling = relaxation.coupling
        pressure = relaxation.pressure / Units.pressureToBar
        referenceCell = cell.matrix
        let n = Double(max(1, atomCount))
        scale = n.squareRoot() * _pow(cell.volume / n, 1.0 / 3)
        switch relaxation.coupling {
        case .isotropic:
            let w = 1 / Double(3).squareRoot()
            basis = [[w, 0, 0, 0, w, 0, 0, 0, w]]
            identityCoefficients = [Double(3).squareRoot()]
        case .anisotropic:
            // M_k ∝ a_k ⊗ b_k (edge vector ⊗ reciprocal vector, a_k · b_j = δ_kj): F = Σ λ_k a_k ⊗ b_k
            // scales edge k by λ_k and leaves the others alone. These three are not orthogonal to each
            // other unless the cell is: I = Σ_k a_k ⊗ b_k, so κ_k of I is the norm of a_k ⊗ b_k.
            let inverse = cell.inverse
            var norms: [Double] = []
            basis = (0..<3).map { k in
                let a = Array(cell.matrix[(3 * k)..<(3 * k + 3)])
                let b = [inverse[k], inverse[3 + k], inverse[6 + k]]
                var m = [Double](repeating: 0, count: 9)
                for i in 0..<3 { for j in 0..<3 { m[3 * i + j] = a[i] * b[j] } }
                let norm = m.reduce(0) { $0 + $1 * $1 }.squareRoot()
                norms.append(norm)
                return m.map { $0 / norm }
            }
            identityCoefficients = norms
        case .triclinic:
            let w = 1 / Double(2).squareRoot()
            basis = [[1, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 1],
                     [0, 0, 0, 0, 0, w, 0, w, 0], [0, 0, w, 0, 0, 0, w, 0, 0], [0, w, 0, w, 0, 0, 0, 0, 0]]
            identityCoefficients = [1, 1, 1, 0, 0, 0]
        }
    }

    var count: Int { basis.count }

    /// q for F = I (the start).
    var identityCoordinates: [Double] { identityCoefficients.map { scale * $0 } }

    /// F for coordinates q.
    func deformation(_ q: ArraySlice<Double>) -> [Double] {
        var f = [Double](repeating: 0, count: 9)
        for (j, m) in basis.enumerated() {
            let kappa = q[q.startIndex + j] / scale
            for e in 0..<9 { f[e] += kappa * m[e] }
        }
        return f
    }

    /// The cell H = H₀ Fᵀ.
    func cellMatrix(deformation f: [Double]) -> [Double] {
        Matrix3.multiply(referenceCell, Matrix3.transpose(f))
    }

    /// −∂H/∂q_j for virial W (Voigt, eV) at volume V (Å³) and deformation F.
    func forces(virial: [Double], volume: Double, deformation f: [Double]) -> [Double] {
        var w = Matrix3.fromVoigt(virial)
        for d in 0..<3 { w[4 * d] -= pressure * volume }
        let g = Matrix3.multiply(w, Matrix3.transpose(Matrix3.inverse(f)))
        return basis.map { m in
            var dot = 0.0
            for e in 0..<9 { dot += g[e] * m[e] }
            return dot / scale
        }
    }

    /// Largest residual of the relaxed stress components, |σ + P I| in eV/Å³ (σ in ASE's sign,
    /// Voigt): the trace/3 for isotropic; for anisotropic a_k·(σ + P I)·b_k for each edge (the
    /// normal stress conjugate to stretching edge k; the diagonal for an orthogonal cell); every
    /// component for triclinic. Each vanishes exactly when the generalized cell forces do.
    func residualStress(stress: [Double], cell: Cell) -> Double {
        var r = Matrix3.fromVoigt(stress)
        for d in 0..<3 { r[4 * d] += pressure }
        switch coupling {
        case .isotropic:
            return abs(r[0] + r[4] + r[8]) / 3
        case .anisotropic:
            let h = cell.matrix, inverse = cell.inverse
            var largest = 0.0
            for k in 0..<3 {
                var value = 0.0
                for i in 0..<3 { for j in 0..<3 { value += h[3 * k + i] * r[3 * i + j] * inverse[3 * j + k] } }
                largest = max(largest, abs(value))
            }
            return largest
        case .triclinic:
            return r.map(abs).max() ?? 0
        }
    }
}
