#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One ring-polymer step, i-PI's BAOAB splitting (Leimkuhler & Matthews; i-PI `splitting: baoab`):
///   B  each bead's velocities kicked by its own forces over dt/2
///   A O A  in normal modes: free ring polymer over dt/2 (exact or Cayley), PILE thermostat over dt,
///          free ring polymer over dt/2; a mode no thermostat acts on is propagated over dt at once
///   (cell step under a barostat; species moves given as `beforeForces`), then every bead's forces
///   B  as above.
/// The thermostat sits between the two halves of the free propagation, so positions and velocities
/// cross into normal modes once per step (four transforms; the B A B O splitting took six). With one
/// bead and no thermostat this is velocity Verlet, bit for bit the classical step.
extension MDIntegrator {
    func ringPolymerStep(_ ring: RingPolymer, _ replica: inout Replica, request: PotentialRequest,
                         beforeForces: ((inout Replica) -> Void)? = nil) {
        let dt = timestep
        let request = request.union(minimumRequest)
        // The barostat's pressure is the centroid-virial one of the start of the step (positions and
        // forces consistent); the cell moves after the free ring polymer, before the forces.
        let pressure = barostat != nil && replica.thermodynamics.pressure != nil
            ? RingPolymerEstimators(replica, ring: ring).pressureTensor : nil
        propagateNormalModes(ring, &replica, dt: dt, kickedBy: 0.5 * dt)
        if let barostat, let target = replica.thermodynamics.pressure, let pressure {
            ringPolymerBarostatStep(barostat, &replica, pressureTensor: pressure, dt: dt, target: target)
        }
        if let beforeForces {
            replica.forEachBead { bead, evaluator in evaluator.updateList(&bead.configuration) }
            beforeForces(&replica)
            replica.forEachBead { bead, evaluator in
                evaluator.evaluateWithCurrentList(bead.configuration, request: request, into: &bead.evaluation)
                kick(&bead, dt: 0.5 * dt, workers: evaluator.workers)
            }
        } else {
            replica.forEachBead { bead, evaluator in
                evaluator.evaluate(&bead.configuration, request: request, into: &bead.evaluation)
                kick(&bead, dt: 0.5 * dt, workers: evaluator.workers)
            }
        }
        for b in replica.beads.indices {
            replica.beads[b].step += 1
            replica.beads[b].time += dt
        }
    }

    /// How the run's thermostat and the ring's PILE settings act on normal mode k.
    enum ModeThermostat {
        case none
        /// Ornstein–Uhlenbeck with this friction, 1/ps.
        case langevin(Double)
        /// CSVR on the centroid's kinetic energy with this time constant, ps (PILE-G).
        case csvr(Double)
    }

    func modeThermostat(_ ring: RingPolymer, mode k: Int, springFrequency omegaP: Double) -> ModeThermostat {
        if k > 0 {
            return ring.lambda > 0 ? .langevin(2 * ring.lambda * omegaP * ring.modes.frequencyFactors[k]) : .none
        }
        guard ring.thermostatCentroid, let thermostat else { return .none }
        switch thermostat {
        case .langevin(let damping): return .langevin(1 / damping)
        case .csvr(let tau): return .csvr(tau)
        }
    }

    /// B over `kick` (the step's first half kick, applied as the velocities are gathered), then A O A
    /// over dt in normal modes. Positions enter as bead 0's periodic image of each atom (so
    /// beads wrapped by their neighbour lists stay one ring) and leave in each bead's own image.
    /// Thermostat: internal mode k, an exact Ornstein–Uhlenbeck step with γ_k = 2λω_k at P·T (noise
    /// from bead k's stream, `ZigguratNormal`); centroid, the run's thermostat at P·T (Langevin:
    /// PILE-L; CSVR on the centroid's kinetic energy: PILE-G) unless it is free. The energy the
    /// thermostat puts in goes to bead 0's bath energy.
    func propagateNormalModes(_ ring: RingPolymer, _ replica: inout Replica, dt: Double, kickedBy kick: Double) {
        let p = ring.beads, n = replica.beads[0].configuration.count, n3 = 3 * n
        let temperature = replica.thermodynamics.temperature
        let omegaP = ring.springFrequency(temperature: temperature)
        // σ_i² = P k_B T / m_i in (Å/ps)²; ½ m_i in eV/(Å/ps)².
        let ringKT = Double(p) * Units.boltzmann * temperature
        let masses = replica.beads[0].configuration.speciesTable.masses
        let sigma = masses.map { (ringKT / ($0 * Units.kineticToEV)).squareRoot() }
        let halfMass = masses.map { 0.5 * $0 * Units.kineticToEV }
        let species = replica.beads[0].configuration.species
        let normal = ZigguratNormal.shared
        let workers = replica.beadWorkers
        var scratch = replica.normalModeScratch
        replica.normalModeScratch = NormalModeScratch()
        scratch.reserve(beads: p, columns: n3)
        replica.gatherUnwrappedPositions(into: &scratch.beadValues)
        replica.gatherKickedVelocities(into: &scratch.beadValues2, dt: kick)
        let plans = scratch.plans!
        var heat = [Double](repeating: 0, count: p)
        scratch.beadValues.withUnsafeMutableBufferPointer { x in
            scratch.beadValues2.withUnsafeMutableBufferPointer { v in
                scratch.modeValues.withUnsafeMutableBufferPointer { qx in
                    scratch.modeValues2.withUnsafeMutableBufferPointer { qv in
                        plans.toModes(x.baseAddress!, qx.baseAddress!, workers: workers)
                        plans.toModes(v.baseAddress!, qv.baseAddress!, workers: workers)
                        // Mode k writes only row k and draws only from bead k's stream: any thread count gives the same bits.
                        replica.beads.withUnsafeMutableBufferPointer { beads in
                            heat.withUnsafeMutableBufferPointer { heat in
                                workers.forEach(p) { k in
                                    // Rows hold FFTW's R_k; the mode is a·R_k and FFTW's inverse wants b·(new mode).
                                    let q = qx.baseAddress! + k * n3, w = qv.baseAddress! + k * n3
                                    let a = ring.modes.forwardScale[k], b = ring.modes.inverseScale[k]
                                    let omega = omegaP * ring.modes.frequencyFactors[k]
                                    switch modeThermostat(ring, mode: k, springFrequency: omegaP) {
                                    case .none:
                                        let c = ring.freePropagation(omega: omega, dt: dt)
                                        Self.propagate(q, w, count: n3, c, inputScale: a, outputScale: b)
                                    case .langevin(let friction):
                                        let c = ring.freePropagation(omega: omega, dt: 0.5 * dt)
                                        let c1 = _exp(-friction * dt), c2 = (1 - c1 * c1).squareRoot()
                                        var random = beads[k].random
                                        defer { beads[k].random = random }
                                        // Σ ½ m (v'² − v²) of this mode: the energy the thermostat put in.
                                        var change = 0.0
                                        // Deviates are drawn a block of atoms at a time ahead of the arithmetic,
                                        // which then keeps its coefficients in registers.
                                        withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * Self.noiseBlock) { noise in
                                            for start in stride(from: 0, to: n, by: Self.noiseBlock) {
                                                let end = min(n, start + Self.noiseBlock)
                                                for j in 0..<(3 * (end - start)) { noise[j] = normal.draw(&random) }
                                                for i in start..<end {
                                                    let s = Int(species[i]), width = c2 * sigma[s]
                                                    var before = 0.0, after = 0.0
                                                    for d in 0..<3 {
                                                        let j = 3 * i + d
                                                        let q0 = a * q[j], w0 = a * w[j]
                                                        let q1 = c.qq * q0 + c.qv * w0, w1 = c.vq * q0 + c.vv * w0
                                                        let w2 = c1 * w1 + width * noise[3 * (i - start) + d]
                                                        q[j] = b * (c.qq * q1 + c.qv * w2)
                                                        w[j] = b * (c.vq * q1 + c.vv * w2)
                                                        before += w1 * w1
                                                        after += w2 * w2
                                                    }
                                                    change += halfMass[s] * (after - before)
                                                }
                                            }
                                        }
                                        heat[k] = change
                                    case .csvr(let tau):
                                        let c = ring.freePropagation(omega: omega, dt: 0.5 * dt)
                                        Self.propagate(q, w, count: n3, c, inputScale: a, outputScale: 1)
                                        var kinetic = 0.0
                                        for i in 0..<n {
                                            let u = w + 3 * i
                                            kinetic += halfMass[Int(species[i])] * (u[0] * u[0] + u[1] * u[1] + u[2] * u[2])
                                        }
                                        let alpha = StochasticRescaling.factor(kinetic: kinetic, degreesOfFreedom: Double(max(1, n3 - 3)),
                                                                               temperature: Double(p) * temperature, dt: dt, tau: tau,
                                                                               random: &beads[0].random)
                                        for j in 0..<n3 { w[j] *= alpha }
                                        Self.propagate(q, w, count: n3, c, inputScale: 1, outputScale: b)
                                        heat[k] = (alpha * alpha - 1) * kinetic
                                    }
                                }
                            }
                        }
                        plans.toBeads(qx.baseAddress!, x.baseAddress!, workers: workers)
                        plans.toBeads(qv.baseAddress!, v.baseAddress!, workers: workers)
                    }
                }
            }
        }
        replica.scatterUnwrappedPositions(from: scratch.beadValues)
        replica.scatterVelocities(from: scratch.beadValues2)
        replica.normalModeScratch = scratch
        replica.beads[0].bathEnergy += heat.reduce(0, +)
    }

    /// Atoms whose thermostat deviates are drawn ahead at a time.
    static let noiseBlock = 128

    /// Free propagation of one mode's row with coefficients c: (Q, V) = inputScale·(q, w) rotated,
    /// stored times outputScale.
    @inline(__always)
    static func propagate(_ q: UnsafeMutablePointer<Double>, _ w: UnsafeMutablePointer<Double>, count: Int,
                          _ c: (qq: Double, qv: Double, vq: Double, vv: Double), inputScale a: Double, outputScale b: Double) {
        for j in 0..<count {
            let q0 = a * q[j], w0 = a * w[j]
            q[j] = b * (c.qq * q0 + c.qv * w0)
            w[j] = b * (c.vq * q0 + c.vv * w0)
        }
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

    /// Whether two beads' image counters agree: memcmp, as Array's element-wise == cost as much as
    /// the copy of positions it guards (it runs for every bead twice a step).
    @inline(__always)
    static func sameImages(_ a: [Int32], _ b: [Int32]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
    }

    /// Bead j's positions as P × 3N rows, each atom in bead 0's periodic image:
    /// x_ij + H (n_ij − n_i0), with H's rows the cell vectors. Beads in parallel (each writes its row).
    func gatherUnwrappedPositions(into out: inout [Double]) {
        let n3 = beads[0].configuration.positions.count
        let reference = beads[0].configuration.images
        out.withUnsafeMutableBufferPointer { out in
            beads.withUnsafeBufferPointer { beads in
                beadWorkers.forEach(beads.count) { j in
                    let h = beads[j].configuration.cell.matrix
                    let images = beads[j].configuration.images
                    let row = out.baseAddress! + j * n3
                    beads[j].configuration.positions.withUnsafeBufferPointer { x in
                        // Beads with every atom in bead 0's image: a plain copy.
                        guard !Self.sameImages(images, reference) else { return row.update(from: x.baseAddress!, count: n3) }
                        for i in 0..<(n3 / 3) {
                            let shift = Self.imageShift(images, reference, atom: i, cell: h)
                            for d in 0..<3 { row[3 * i + d] = shift.map { x[3 * i + d] + $0[d] } ?? x[3 * i + d] }
                        }
                    }
                }
            }
        }
    }

    /// The inverse of `gatherUnwrappedPositions`: each bead's positions back in its own image.
    mutating func scatterUnwrappedPositions(from values: [Double]) {
        let n3 = beads[0].configuration.positions.count
        let reference = beads[0].configuration.images
        let workers = beadWorkers
        values.withUnsafeBufferPointer { values in
            beads.withUnsafeMutableBufferPointer { beads in
                workers.forEach(beads.count) { j in
                    let h = beads[j].configuration.cell.matrix
                    let images = beads[j].configuration.images
                    let row = values.baseAddress! + j * n3
                    beads[j].configuration.positions.withUnsafeMutableBufferPointer { x in
                        guard !Self.sameImages(images, reference) else { return x.baseAddress!.update(from: row, count: n3) }
                        for i in 0..<(n3 / 3) {
                            let shift = Self.imageShift(images, reference, atom: i, cell: h)
                            for d in 0..<3 { x[3 * i + d] = shift.map { row[3 * i + d] - $0[d] } ?? row[3 * i + d] }
                        }
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

    /// Bead j's velocities kicked by its forces over dt, v + dt·F/m, as P × 3N rows (the kick of
    /// `MDIntegrator.kick`, same bits, written to the rows instead of the beads: the beads' own
    /// velocities are overwritten from the rows afterwards).
    func gatherKickedVelocities(into out: inout [Double], dt: Double) {
        let n3 = beads[0].configuration.velocities.count
        let factors = beads[0].configuration.speciesTable.masses.map { dt / ($0 * Units.kineticToEV) }
        out.withUnsafeMutableBufferPointer { out in
            beads.withUnsafeBufferPointer { beads in
                beads[0].configuration.species.withUnsafeBufferPointer { species in
                    beadWorkers.forEach(beads.count) { j in
                        let row = out.baseAddress! + j * n3
                        beads[j].configuration.velocities.withUnsafeBufferPointer { v in
                            beads[j].evaluation.forces.withUnsafeBufferPointer { f in
                                for i in 0..<(n3 / 3) {
                                    let factor = factors[Int(species[i])]
                                    for d in (3 * i)..<(3 * i + 3) { row[d] = v[d] + factor * f[d] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    mutating func scatterVelocities(from values: [Double]) {
        let n3 = beads[0].configuration.velocities.count
        let workers = beadWorkers
        values.withUnsafeBufferPointer { values in
            beads.withUnsafeMutableBufferPointer { beads in
                workers.forEach(beads.count) { j in
                    beads[j].configuration.velocities.withUnsafeMutableBufferPointer { v in
                        v.baseAddress!.update(from: values.baseAddress! + j * n3, count: n3)
                    }
                }
            }
        }
    }
}
