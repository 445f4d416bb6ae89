/// Minimises the energy with FIRE, with the cell fixed, or the enthalpy E + P V with the cell relaxed
/// (`CellRelaxation`), the cell strain then joining the positions in one FIRE vector (`CellStrain`).
///
/// Stops when, after an evaluation, (1) the largest atomic force is ≤ `maxForce` and, relaxing the
/// cell, the stress residual is ≤ `cellRelaxation.stressTolerance`; or (2) `energyChange` > 0 and the
/// objective changed by ≤ `energyChange` eV per atom in the last step, checked only after `nMin`
/// downhill steps since FIRE last restarted (as LAMMPS does, since right after a restart FIRE barely
/// moves); or (3) `maxSteps` steps were taken.
public struct FIREMinimizer: Sendable {
    /// eV/Å.
    public var maxForce: Double
    /// eV per atom per step; 0 switches the criterion off.
    public var energyChange: Double
    public var maxSteps: Int
    public var cellRelaxation: CellRelaxation?
    public var parameters: FIREParameters

    public init(maxForce: Double = 1e-3, energyChange: Double = 0, maxSteps: Int = 10_000,
                cellRelaxation: CellRelaxation? = nil, parameters: FIREParameters = FIREParameters()) {
        self.maxForce = maxForce
        self.energyChange = energyChange
        self.maxSteps = maxSteps
        self.cellRelaxation = cellRelaxation
        self.parameters = parameters
    }

    /// Relaxes `configuration` in place (velocities untouched) and reports why it stopped.
    /// `observe` sees every evaluated state, the start (step 0) and the end included.
    /// With cell relaxation the cell must be periodic along all axes (`CellRelaxation.validate`).
    @discardableResult
    public func minimize(_ configuration: inout Configuration, evaluator: inout Evaluator,
                         observe: (MinimizationProgress, Configuration) -> Void = { _, _ in }) -> MinimizationResult {
        let n = configuration.count
        let strain = cellRelaxation.map { relaxation -> CellStrain in
            precondition(configuration.cell.periodic.allSatisfy { $0 }, "cell relaxation needs a fully periodic cell")
            return CellStrain(relaxation: relaxation, cell: configuration.cell, atomCount: n)
        }
        let cellCount = strain?.count ?? 0
        var fire = FIREState(parameters: parameters, atomCount: n, extraCount: cellCount)
        var q = strain?.identityCoordinates ?? []
        var deformation = Matrix3.identity
        var forces = [Double](repeating: 0, count: 3 * n + cellCount)
        var displacement = forces
        var reference = strain == nil ? [] : configuration.positions  // r, undeformed frame
        var previousObjective: Double?
        var step = 0
        var result = PotentialResult()

        while true {
            evaluator.evaluate(&configuration, request: [.energy, .forces, .virial], into: &result)
            let progress = measure(configuration, result, strain: strain, step: step)
            observe(progress, configuration)

            if let reason = stopReason(progress, previous: previousObjective, fire: fire, atomCount: n) {
                return MinimizationResult(reason: reason, final: progress)
            }
            previousObjective = progress.enthalpy

            // Forces on the FIRE coordinates: atoms in the undeformed frame feel Fᵀ f.
            let f = result.forces
            if let strain {
                let ft = Matrix3.transpose(deformation)
                for i in 0..<n { Matrix3.apply(ft, f, 3 * i, into: &forces) }
                let cellForces = strain.forces(virial: result.virial, volume: progress.volume,
                                               deformation: deformation)
                for j in 0..<cellCount { forces[3 * n + j] = cellForces[j] }
            } else {
                for k in 0..<(3 * n) { forces[k] = f[k] }
            }

            fire.step(forces: forces, into: &displacement)

            if let strain {
                // r = F⁻¹ x from the current positions (the list may have wrapped them), moved, then
                // x = F' r with the new cell: the atoms follow the cell affinely.
                let inverse = Matrix3.inverse(deformation)
                for i in 0..<n { Matrix3.apply(inverse, configuration.positions, 3 * i, into: &reference) }
                for k in 0..<(3 * n) { reference[k] += displacement[k] }
                for j in 0..<cellCount { q[j] += displacement[3 * n + j] }
                deformation = strain.deformation(q[...])
                configuration.cell.matrix = strain.cellMatrix(deformation: deformation)
                for i in 0..<n { Matrix3.apply(deformation, reference, 3 * i, into: &configuration.positions) }
            } else {
                for k in 0..<(3 * n) { configuration.positions[k] += displacement[k] }
            }
            step += 1
        }
    }

    private func measure(_ configuration: Configuration, _ result: PotentialResult, strain: CellStrain?,
                         step: Int) -> MinimizationProgress {
        let volume = configuration.cell.volume
        var largest2 = 0.0
        let f = result.forces
        for i in 0..<configuration.count {
            largest2 = max(largest2, f[3 * i] * f[3 * i] + f[3 * i + 1] * f[3 * i + 1] + f[3 * i + 2] * f[3 * i + 2])
        }
        let stress = result.stress(volume: volume)
        let enthalpy = result.energy + (strain.map { $0.pressure * volume } ?? 0)
        let residual = (strain?.residualStress(stress: stress, cell: configuration.cell) ?? 0) * Units.pressureToBar
        return MinimizationProgress(step: step, energy: result.energy, enthalpy: enthalpy, maxForce: largest2.squareRoot(),
                                    stress: stress, stressResidual: residual, volume: volume)
    }

    private func stopReason(_ progress: MinimizationProgress, previous: Double?, fire: FIREState,
                            atomCount: Int) -> MinimizationResult.StopReason? {
        let stressConverged = cellRelaxation.map { progress.stressResidual <= $0.stressTolerance } ?? true
        if progress.maxForce <= maxForce && stressConverged { return .forceTolerance }
        if energyChange > 0, let previous, fire.stepsSinceRestart > parameters.nMin,
           abs(progress.enthalpy - previous) <= energyChange * Double(max(1, atomCount)) {
            return .energyChange
        }
        if progress.step >= maxSteps { return .maxSteps }
        return nil
    }
}
