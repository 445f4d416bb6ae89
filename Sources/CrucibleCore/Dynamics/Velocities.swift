extension Configuration {
    /// Maxwell–Boltzmann velocities at `temperature` (K) with zero total momentum, then rescaled so the
    /// instantaneous temperature (3N − 3 degrees of freedom) is exactly `temperature`, as LAMMPS's
    /// `velocity … dist gaussian mom yes` does.
    public mutating func assignMaxwellBoltzmannVelocities(temperature: Double, random: inout RandomStream) {
        let n = count
        guard n > 0 else { return }
        let masses = self.masses
        for i in 0..<n {
            let sigma = (Units.boltzmann * temperature / (masses[i] * Units.kineticToEV)).squareRoot()
            for d in 0..<3 { velocities[3 * i + d] = sigma * random.normal() }
        }
        removeTotalMomentum()
        let dof = Double(max(1, 3 * n - 3))
        let current = 2 * kineticEnergy / (dof * Units.boltzmann)
        if current > 0 {
            let scale = (temperature / current).squareRoot()
            for k in velocities.indices { velocities[k] *= scale }
        }
    }

    /// Subtracts the centre-of-mass velocity.
    public mutating func removeTotalMomentum() {
        let masses = self.masses
        var momentum = [0.0, 0.0, 0.0]
        var total = 0.0
        for i in 0..<count {
            for d in 0..<3 { momentum[d] += masses[i] * velocities[3 * i + d] }
            total += masses[i]
        }
        guard total > 0 else { return }
        for i in 0..<count { for d in 0..<3 { velocities[3 * i + d] -= momentum[d] / total } }
    }
}
