/// Constant pressure for ring polymers: the stochastic cell rescaling of the classical barostat
/// (`Barostat`, Bernetti & Bussi 2020) driven by the centroid-virial pressure tensor, scaling the
/// centroids of the rings and leaving every bead's displacement from its centroid (and the
/// velocities) unchanged. Scaling the N centroids has Jacobian V^N and
/// −∂Ū/∂ε = V·(P_cv − N k_B T/V), so with P_cv (which holds N k_B T/V, not the instantaneous kinetic
/// energy) the stationary law of the cell is the NPT one without velocity rescaling.
extension MDIntegrator {
    /// One Euler–Maruyama cell step over dt towards `target` (bar), from the centroid-virial pressure
    /// `pressureTensor` (bar, Voigt) of the start of the step. The beads' potential-energy change
    /// Σ_j Σ_α dε_α [Σ_i F_ij,α (u_ij − ū_i)_α − W_j,αα] (first order) and P₀ΔV times P go into bead
    /// 0's bath energy (the ring's H_P is P times the per-bead energy).
    func ringPolymerBarostatStep(_ barostat: Barostat, _ replica: inout Replica, pressureTensor p: [Double], dt: Double, target: Double) {
        let beads = replica.beads.count
        let temperature = replica.thermodynamics.temperature
        let volume = replica.beads[0].configuration.cell.volume
        let kTOverV = Units.boltzmann * temperature / volume * Units.pressureToBar
        let mobility = barostat.compressibility * dt / barostat.tau
        let noise = (2 * kTOverV * mobility).squareRoot()
        var strain = [0.0, 0.0, 0.0]
        switch barostat.coupling {
        case .isotropic:
            let dLnV = mobility * ((p[0] + p[1] + p[2]) / 3 - target) + noise * replica.beads[0].random.normal()
            strain = [dLnV / 3, dLnV / 3, dLnV / 3]
        case .anisotropic(let axes):
            for axis in axes { strain[axis] = mobility * (p[axis] - target) + noise * replica.beads[0].random.normal() }
        }
        let scale = strain.map { _exp($0) }
        let n3 = replica.beads[0].configuration.positions.count
        let u = replica.unwrappedBeadPositions()
        let centroid = Replica.beadAverage(u, beads: beads)
        var work = 0.0
        let reference = replica.beads[0].configuration.images
        for j in 0..<beads {
            // Bead j moves as an affine scaling of itself and its cell (ΔV = −ε_d W_dd) followed by
            // −ε_d (u_ij − ū_i)_d at fixed cell (ΔV = ε_d Σ_i F_ij,d (u_ij − ū_i)_d), to first order.
            let f = replica.beads[j].evaluation.forces
            for d in 0..<3 {
                var deviation = 0.0
                for i in 0..<(n3 / 3) { deviation += f[3 * i + d] * (u[j * n3 + 3 * i + d] - centroid[3 * i + d]) }
                work += strain[d] * (deviation - replica.beads[j].evaluation.virial[d])
            }
            let h = replica.beads[j].configuration.cell.matrix
            let images = replica.beads[j].configuration.images
            for i in 0..<(n3 / 3) {
                let shift = Replica.imageShift(images, reference, atom: i, cell: h) ?? .zero
                for d in 0..<3 {
                    // The centroid in this bead's periodic image, moved by the strain.
                    replica.beads[j].configuration.positions[3 * i + d] += (scale[d] - 1) * (centroid[3 * i + d] - shift[d])
                }
            }
            for r in 0..<3 { for d in 0..<3 { replica.beads[j].configuration.cell.matrix[3 * r + d] *= scale[d] } }
        }
        let pv = target / Units.pressureToBar * (replica.beads[0].configuration.cell.volume - volume)
        replica.beads[0].bathEnergy += work + Double(beads) * pv
    }
}
