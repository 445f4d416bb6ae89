/// The quantum estimators of a ring-polymer replica at its temperature T (β = 1/k_B T), with u_ij
/// bead j of atom i in bead 0's periodic image, ū_i the centroid, F_ij the force on it:
///   potential          (1/P) Σ_j V(q_j)
///   spring             Σ_j Σ_i ½ m_i ω_P² |u_ij − u_i,j+1|²           (the ring's spring energy at P·T)
///   kinetic (virial)   3N/(2β) − (1/2P) Σ_j Σ_i (u_ij − ū_i)·F_ij      (centroid virial)
///   kinetic primitive  3NP/(2β) − spring/P
///   pressure tensor    [2 K_cv,ab + (1/P) Σ_j W_j,ab] / V,  K_cv,ab = N δ_ab/(2β) − (1/4P) Σ_j Σ_i [(u−ū)_a F_b + (u−ū)_b F_a]
///   conserved          [Σ_j (K_j + V_j) + spring − Σ_j bath energy_j] / P (+ P₀V under a barostat)   (H_P per bead, as i-PI)
///   temperature        2 Σ_j K_j / (3N k_B P²)                          (the beads' kinetic temperature)
public struct RingPolymerEstimators: Sendable {
    public var potential = 0.0
    public var spring = 0.0
    public var kineticVirial = 0.0
    public var kineticPrimitive = 0.0
    /// Centroid-virial kinetic energy of the atoms of each species of the table, eV.
    public var kineticVirialBySpecies: [Double] = []
    /// bar, Voigt xx yy zz yz xz xy.
    public var pressureTensor = [Double](repeating: 0, count: 6)
    public var conserved = 0.0
    public var temperature = 0.0
    /// Σ_j Σ_i m_i |u_ij − u_i,j+1|², amu·Å²: the spring energy is ½ ω_P² times this (replica exchange
    /// needs it at other temperatures).
    public var springSum = 0.0

    /// `barostat`: the run is at constant pressure, so the conserved quantity includes P₀V.
    public init(_ replica: Replica, ring: RingPolymer, barostat: Bool = false) {
        let p = replica.beads.count, pd = Double(p)
        let first = replica.beads[0].configuration
        let n = first.count, n3 = 3 * n
        let kT = Units.boltzmann * replica.thermodynamics.temperature
        let masses = first.speciesTable.masses
        let u = replica.unwrappedBeadPositions()
        let centroid = Replica.beadAverage(u, beads: p)

        kineticVirialBySpecies = [Double](repeating: 0, count: masses.count)
        var kineticTensor = [Double](repeating: 0, count: 6)
        var virial = [Double](repeating: 0, count: 6)
        var beadKinetic = 0.0
        for j in 0..<p {
            let bead = replica.beads[j]
            potential += bead.evaluation.energy
            beadKinetic += bead.configuration.kineticEnergy
            for a in 0..<6 { virial[a] += bead.evaluation.virial[a] }
            let f = bead.evaluation.forces, next = ((j + 1) % p) * n3
            for i in 0..<n {
                let s = Int(first.species[i])
                var dot = 0.0, stretch = 0.0
                var d = [0.0, 0.0, 0.0], force = [0.0, 0.0, 0.0]
                for c in 0..<3 {
                    d[c] = u[j * n3 + 3 * i + c] - centroid[3 * i + c]
                    force[c] = f[3 * i + c]
                    dot += d[c] * force[c]
                    let link = u[j * n3 + 3 * i + c] - u[next + 3 * i + c]
                    stretch += link * link
                }
                springSum += masses[s] * stretch
                kineticVirialBySpecies[s] -= dot / (2 * pd)
                kineticTensor[0] -= d[0] * force[0] / (2 * pd)
                kineticTensor[1] -= d[1] * force[1] / (2 * pd)
                kineticTensor[2] -= d[2] * force[2] / (2 * pd)
                kineticTensor[3] -= (d[1] * force[2] + d[2] * force[1]) / (4 * pd)
                kineticTensor[4] -= (d[0] * force[2] + d[2] * force[0]) / (4 * pd)
                kineticTensor[5] -= (d[0] * force[1] + d[1] * force[0]) / (4 * pd)
            }
        }
        var atomsOfSpecies = [Int](repeating: 0, count: masses.count)
        for s in first.species { atomsOfSpecies[Int(s)] += 1 }
        for s in kineticVirialBySpecies.indices { kineticVirialBySpecies[s] += 1.5 * Double(atomsOfSpecies[s]) * kT }
        for a in 0..<3 { kineticTensor[a] += 0.5 * Double(n) * kT }

        potential /= pd
        let omegaP = ring.springFrequency(temperature: replica.thermodynamics.temperature)
        spring = 0.5 * omegaP * omegaP * springSum * Units.kineticToEV
        kineticVirial = kineticVirialBySpecies.reduce(0, +)
        kineticPrimitive = 1.5 * Double(n) * pd * kT - spring / pd
        let volume = first.cell.volume
        pressureTensor = (0..<6).map { (2 * kineticTensor[$0] + virial[$0] / pd) / volume * Units.pressureToBar }
        let bath = replica.beads.reduce(0) { $0 + $1.bathEnergy }
        conserved = (beadKinetic + potential * pd + spring - bath) / pd
            + (replica.thermodynamics.pressure ?? 0) / Units.pressureToBar * volume * (barostat ? 1 : 0)
        temperature = 2 * beadKinetic / (3 * Double(n) * Units.boltzmann * pd * pd)
    }
}

extension Replica {
    /// Every bead's positions (P × 3N), each atom in bead 0's periodic image.
    /// The average over the P rows of a P × 3N matrix of bead values (the centroids of `u`).
    static func beadAverage(_ values: [Double], beads: Int) -> [Double] {
        let n3 = values.count / beads
        var average = [Double](repeating: 0, count: n3)
        for j in 0..<beads { for c in 0..<n3 { average[c] += values[j * n3 + c] } }
        for c in 0..<n3 { average[c] /= Double(beads) }
        return average
    }

    public func unwrappedBeadPositions() -> [Double] {
        var positions = [Double](repeating: 0, count: beads.count * beads[0].configuration.positions.count)
        gatherUnwrappedPositions(into: &positions)
        return positions
    }

    /// The bead average of the potential energy, eV (the energy for one bead).
    public var meanPotentialEnergy: Double {
        beads.count == 1 ? beads[0].evaluation.energy : beads.map(\.evaluation.energy).reduce(0, +) / Double(beads.count)
    }

    /// Σ_j Σ_i m_i |u_ij − u_i,j+1|², amu·Å² (0 for one bead).
    public var springSum: Double {
        guard beads.count > 1 else { return 0 }
        let n3 = beads[0].configuration.positions.count, p = beads.count
        let masses = beads[0].configuration.masses
        let u = unwrappedBeadPositions()
        var sum = 0.0
        for j in 0..<p {
            let next = ((j + 1) % p) * n3
            for c in 0..<n3 {
                let link = u[j * n3 + c] - u[next + c]
                sum += masses[c / 3] * link * link
            }
        }
        return sum
    }

    /// The bead average of the forces on each atom (the centroid force); bead 0's for one bead.
    public var centroidForces: [Double] {
        guard beads.count > 1 else { return beads[0].evaluation.forces }
        var sum = beads[0].evaluation.forces
        for j in 1..<beads.count { for c in sum.indices { sum[c] += beads[j].evaluation.forces[c] } }
        let p = Double(beads.count)
        return sum.map { $0 / p }
    }

    /// The ring polymers' centroids as one configuration (positions wrapped into the cell, velocities
    /// the bead average); bead 0's configuration itself for one bead.
    public var centroidConfiguration: Configuration {
        guard beads.count > 1 else { return beads[0].configuration }
        var centroid = beads[0].configuration
        centroid.positions = Self.beadAverage(unwrappedBeadPositions(), beads: beads.count)
        var velocities = [Double](repeating: 0, count: beads.count * centroid.velocities.count)
        gatherVelocities(into: &velocities)
        centroid.velocities = Self.beadAverage(velocities, beads: beads.count)
        centroid.wrap()
        return centroid
    }
}
