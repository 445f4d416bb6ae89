/// One ring-polymer step:
///   B  each bead's velocities kicked by its own forces over dt/2
///   A  free ring polymer over dt in normal modes (exact or Cayley), then every bead's forces
///   B  as above
///   O  PILE thermostat on the normal-mode velocities over dt.
/// Steps in a row are i-PI's splitting O(dt/2) B A B O(dt/2) with the two half O steps of
/// neighbouring steps merged into one (exact: an Ornstein–Uhlenbeck or CSVR step over dt/2 twice is
/// one over dt), so positions follow the same law as i-PI's for half the thermostat work; only the
/// velocities seen between steps are one half O further on. With one bead and no thermostat this is
/// velocity Verlet, bit for bit the classical step.
extension MDIntegrator {
    func ringPolymerStep(_ ring: RingPolymer, _ replica: inout Replica, request: PotentialRequest) {
        let dt = timestep
        let request = request.union(minimumRequest)
        // The barostat's pressure is the centroid-virial one of the start of the step (positions and
        // forces consistent); the cell moves after the free ring polymer, before the forces.
        let pressure = barostat != nil && replica.thermodynamics.pressure != nil
            ? RingPolymerEstimators(replica, ring: ring).pressureTensor : nil
        replica.forEachBead { bead, evaluator in kick(&bead, dt: 0.5 * dt, workers: evaluator.workers) }
        if ring.beads == 1 {
            replica.forEachBead { bead, evaluator in drift(&bead, dt: dt, workers: evaluator.workers) }
        } else {
            propagateFreeRingPolymer(ring, &replica, dt: dt)
        }
        if let barostat, let target = replica.thermodynamics.pressure, let pressure {
            ringPolymerBarostatStep(barostat, &replica, pressureTensor: pressure, dt: dt, target: target)
        }
        replica.forEachBead { bead, evaluator in
            evaluator.evaluate(&bead.configuration, request: request, into: &bead.evaluation)
            kick(&bead, dt: 0.5 * dt, workers: evaluator.workers)
        }
        thermostatModes(ring, &replica, dt: dt)
        for b in replica.beads.indices {
            replica.beads[b].step += 1
            replica.beads[b].time += dt
        }
    }

    /// A: the free ring polymer (springs only) over dt, each normal mode rotated in its (Q, V) plane.
    /// Positions enter as bead 0's periodic image of each atom (so beads wrapped by their neighbour
    /// lists stay one ring) and leave in each bead's own image.
    func propagateFreeRingPolymer(_ ring: RingPolymer, _ replica: inout Replica, dt: Double) {
        let p = ring.beads, n3 = replica.beads[0].configuration.positions.count
        let omegaP = ring.springFrequency(temperature: replica.thermodynamics.temperature)
        // The transforms' scale factors a_k b_k = 1/P are folded into the coefficients (`NormalModes`).
        let steps = ring.modes.frequencyFactors.map { factor in
            let c = ring.freePropagation(omega: omegaP * factor, dt: dt), scale = 1 / Double(p)
            return (qq: c.qq * scale, qv: c.qv * scale, vq: c.vq * scale, vv: c.vv * scale)
        }
        var scratch = replica.normalModeScratch
        replica.normalModeScratch = NormalModeScratch()
        scratch.reserve(beads: p, columns: n3)
        replica.gatherUnwrappedPositions(into: &scratch.beadValues)
        replica.gatherVelocities(into: &scratch.beadValues2)
        let plans = scratch.plans!
        scratch.beadValues.withUnsafeMutableBufferPointer { x in
            scratch.beadValues2.withUnsafeMutableBufferPointer { v in
                scratch.modeValues.withUnsafeMutableBufferPointer { qx in
                    scratch.modeValues2.withUnsafeMutableBufferPointer { qv in
                        plans.toModes(x.baseAddress!, qx.baseAddress!)
                        plans.toModes(v.baseAddress!, qv.baseAddress!)
                        for k in 0..<p {
                            let c = steps[k]
                            for column in (k * n3)..<((k + 1) * n3) {
                                let q = qx[column], w = qv[column]
                                qx[column] = c.qq * q + c.qv * w
                                qv[column] = c.vq * q + c.vv * w
                            }
                        }
                        plans.toBeads(qx.baseAddress!, x.baseAddress!)
                        plans.toBeads(qv.baseAddress!, v.baseAddress!)
                    }
                }
            }
        }
        replica.scatterUnwrappedPositions(from: scratch.beadValues)
        replica.scatterVelocities(from: scratch.beadValues2)
        replica.normalModeScratch = scratch
    }

    /// O: the PILE thermostat over dt on the normal-mode velocities. Internal mode k: exact
    /// Ornstein–Uhlenbeck step with γ_k = 2λω_k at P·T (noise from bead k's stream). Centroid: the
    /// run's thermostat at P·T (Langevin: PILE-L; CSVR on the centroid's kinetic energy: PILE-G),
    /// unless the centroid is free. The energy put in goes to bead 0's bath energy.
    func thermostatModes(_ ring: RingPolymer, _ replica: inout Replica, dt: Double) {
        let centroidThermostat = ring.thermostatCentroid ? thermostat : nil
        guard ring.lambda > 0 && ring.beads > 1 || centroidThermostat != nil else { return }
        let p = ring.beads, n = replica.beads[0].configuration.count, n3 = 3 * n
        let temperature = replica.thermodynamics.temperature
        let ringKT = Double(p) * Units.boltzmann * temperature
        let omegaP = ring.springFrequency(temperature: temperature)
        // σ_i² = P k_B T / m_i in (Å/ps)²; ½ m_i in eV/(Å/ps)².
        let configuration = replica.beads[0].configuration
        let sigma = configuration.speciesTable.masses.map { (ringKT / ($0 * Units.kineticToEV)).squareRoot() }
        let halfMass = configuration.speciesTable.masses.map { 0.5 * $0 * Units.kineticToEV }
        let species = configuration.species
        var scratch = replica.normalModeScratch
        replica.normalModeScratch = NormalModeScratch()
        scratch.reserve(beads: p, columns: n3)
        replica.gatherVelocities(into: &scratch.beadValues2)
        let plans = scratch.plans!
        var heat = [Double](repeating: 0, count: p)
        scratch.beadValues2.withUnsafeMutableBufferPointer { v in
            scratch.modeValues2.withUnsafeMutableBufferPointer { qv in
                plans.toModes(v.baseAddress!, qv.baseAddress!)
                // Mode k writes only row k and draws only from bead k's stream: any thread count gives the same bits.
                replica.beads.withUnsafeMutableBufferPointer { beads in
                    heat.withUnsafeMutableBufferPointer { heat in
                        replica.beadWorkers.forEach(p) { k in
                            let row = qv.baseAddress! + k * n3
                            var friction = 0.0
                            if k > 0 {
                                friction = 2 * ring.lambda * omegaP * ring.modes.frequencyFactors[k]
                            } else if case .langevin(let damping)? = centroidThermostat {
                                friction = 1 / damping
                            }
                            // Row k holds R_k; the mode is a·R_k and FFTW's inverse wants b·(new mode).
                            let a = ring.modes.forwardScale[k], b = ring.modes.inverseScale[k]
                            // Σ ½ m (v'² − v²) of this mode: the energy the thermostat put in.
                            var change = 0.0
                            if friction > 0 {
                                let c1 = _exp(-friction * dt), c2 = (1 - c1 * c1).squareRoot()
                                var random = beads[k].random
                                defer { beads[k].random = random }
                                for i in 0..<n {
                                    let s = Int(species[i]), width = c2 * sigma[s]
                                    var before = 0.0, after = 0.0
                                    for d in 0..<3 {
                                        let v = a * row[3 * i + d]
                                        let w = c1 * v + width * random.normal()
                                        row[3 * i + d] = b * w
                                        before += v * v
                                        after += w * w
                                    }
                                    change += halfMass[s] * (after - before)
                                }
                            } else if k == 0, case .csvr(let tau)? = centroidThermostat {
                                var kinetic = 0.0
                                for i in 0..<n {
                                    let v = row + 3 * i
                                    kinetic += halfMass[Int(species[i])] * a * a * (v[0] * v[0] + v[1] * v[1] + v[2] * v[2])
                                }
                                let alpha = StochasticRescaling.factor(kinetic: kinetic, degreesOfFreedom: Double(max(1, n3 - 3)),
                                                                       temperature: Double(p) * temperature, dt: dt, tau: tau,
                                                                       random: &beads[0].random)
                                for c in 0..<n3 { row[c] *= a * b * alpha }
                                change = (alpha * alpha - 1) * kinetic
                            } else {
                                for c in 0..<n3 { row[c] *= a * b }
                            }
                            heat[k] = change
                        }
                    }
                }
                plans.toBeads(qv.baseAddress!, v.baseAddress!)
            }
        }
        replica.scatterVelocities(from: scratch.beadValues2)
        replica.normalModeScratch = scratch
        replica.beads[0].bathEnergy += heat.reduce(0, +)
    }
}

extension Replica {
    /// H (n_ij − n_i0): from atom i's periodic image in a bead (image counters `images`) to its image
    /// in bead 0 (`reference`), H's rows the cell vectors; nil when the two agree (the common case,
    /// which then costs no arithmetic, so one bead's positions pass through unchanged).
    @inline(__always)
    static func imageShift(_ images: [Int32], _ reference: [Int32], atom i: Int, cell h: [Double]) -> SIMD3<Double>? {
        let a = images[3 * i] - reference[3 * i], b = images[3 * i + 1] - reference[3 * i + 1], c = images[3 * i + 2] - reference[3 * i + 2]
        guard a != 0 || b != 0 || c != 0 else { return nil }
        let (da, db, dc) = (Double(a), Double(b), Double(c))
        return SIMD3(da * h[0] + db * h[3] + dc * h[6], da * h[1] + db * h[4] + dc * h[7], da * h[2] + db * h[5] + dc * h[8])
    }

    /// Bead j's positions as P × 3N rows, each atom in bead 0's periodic image:
    /// x_ij + H (n_ij − n_i0), with H's rows the cell vectors.
    func gatherUnwrappedPositions(into out: inout [Double]) {
        let n3 = beads[0].configuration.positions.count
        let reference = beads[0].configuration.images
        out.withUnsafeMutableBufferPointer { out in
            for j in beads.indices {
                let h = beads[j].configuration.cell.matrix
                let images = beads[j].configuration.images
                let x = beads[j].configuration.positions
                let row = out.baseAddress! + j * n3
                for i in 0..<(n3 / 3) {
                    let shift = Self.imageShift(images, reference, atom: i, cell: h)
                    for d in 0..<3 { row[3 * i + d] = shift.map { x[3 * i + d] + $0[d] } ?? x[3 * i + d] }
                }
            }
        }
    }

    /// The inverse of `gatherUnwrappedPositions`: each bead's positions back in its own image.
    mutating func scatterUnwrappedPositions(from values: [Double]) {
        let n3 = beads[0].configuration.positions.count
        let reference = beads[0].configuration.images
        values.withUnsafeBufferPointer { values in
            for j in beads.indices {
                let h = beads[j].configuration.cell.matrix
                let images = beads[j].configuration.images
                let row = values.baseAddress! + j * n3
                beads[j].configuration.positions.withUnsafeMutableBufferPointer { x in
                    for i in 0..<(n3 / 3) {
                        let shift = Self.imageShift(images, reference, atom: i, cell: h)
                        for d in 0..<3 { x[3 * i + d] = shift.map { row[3 * i + d] - $0[d] } ?? row[3 * i + d] }
                    }
                }
            }
        }
    }

    func gatherVelocities(into out: inout [Double]) {
        let n3 = beads[0].configuration.velocities.count
        out.withUnsafeMutableBufferPointer { out in
            for j in beads.indices {
                beads[j].configuration.velocities.withUnsafeBufferPointer { v in
                    (out.baseAddress! + j * n3).update(from: v.baseAddress!, count: n3)
                }
            }
        }
    }

    mutating func scatterVelocities(from values: [Double]) {
        let n3 = beads[0].configuration.velocities.count
        values.withUnsafeBufferPointer { values in
            for j in beads.indices {
                beads[j].configuration.velocities.withUnsafeMutableBufferPointer { v in
                    v.baseAddress!.update(from: values.baseAddress! + j * n3, count: n3)
                }
            }
        }
    }
}
