/// The evolving state of FIRE over a flat vector of coordinates: velocities, time step, mixing
/// and the count of downhill steps. `step(forces:)` returns the displacement to apply; what the
/// coordinates are (positions, cell strain) is the caller's business.
struct FIREState {
    let parameters: FIREParameters
    /// Coordinates 0..<3·atomCount are atoms (step limit on each atom's displacement vector);
    /// the rest are single coordinates (step limit on each).
    let atomCount: Int
    private(set) var velocities: [Double]
    private(set) var dt: Double
    private(set) var alpha: Double
    /// Consecutive steps with P > 0 since the last restart (velocities zeroed).
    private(set) var stepsSinceRestart = 0
    private var started = false

    init(parameters: FIREParameters, atomCount: Int, extraCount: Int) {
        self.parameters = parameters
        self.atomCount = atomCount
        velocities = [Double](repeating: 0, count: 3 * atomCount + extraCount)
        dt = parameters.dtStart
        alpha = parameters.alphaStart
    }

    /// One FIRE step for the current forces: mixes or restarts, then an Euler step, v += dt f and
    /// dr = dt v, with dr scaled down as a whole so no atom moves more than `maxStep`.
    mutating func step(forces f: [Double], into displacement: inout [Double]) {
        precondition(f.count == velocities.count && displacement.count == velocities.count)
        let p = parameters
        if started {
            var power = 0.0, vv = 0.0, ff = 0.0
            for k in f.indices { power += f[k] * velocities[k]; vv += velocities[k] * velocities[k]; ff += f[k] * f[k] }
            if power > 0 {
                // v ← (1 − α) v + α |v| f̂: turn the velocity towards the force, keep its size.
                let mix = ff > 0 ? alpha * (vv / ff).squareRoot() : 0
                for k in velocities.indices { velocities[k] = (1 - alpha) * velocities[k] + mix * f[k] }
                if stepsSinceRestart > p.nMin {
                    dt = min(dt * p.fInc, p.dtMax)
                    alpha *= p.fAlpha
                }
                stepsSinceRestart += 1
            } else {
                // Uphill: stop, take smaller steps, mix strongly again.
                for k in velocities.indices { velocities[k] = 0 }
                dt *= p.fDec
                alpha = p.alphaStart
                stepsSinceRestart = 0
            }
        }
        started = true
        for k in velocities.indices {
            velocities[k] += dt * f[k]
            displacement[k] = dt * velocities[k]
        }
        // Why per atom (as LAMMPS's dmax) rather than ASE's norm of the whole vector: the limit then
        // does not tighten as the system grows.
        var largest2 = 0.0
        for i in 0..<atomCount {
            let x = displacement[3 * i], y = displacement[3 * i + 1], z = displacement[3 * i + 2]
            largest2 = max(largest2, x * x + y * y + z * z)
        }
        for k in (3 * atomCount)..<displacement.count { largest2 = max(largest2, displacement[k] * displacement[k]) }
        let largest = largest2.squareRoot()
        if largest > p.maxStep {
            let shrink = p.maxStep / largest
            for k in displacement.indices { displacement[k] *= shrink }
        }
    }
}
