/// Checks that stop a run cleanly, naming the step and the atoms, before anything is written from a
/// broken state (so the last good checkpoint and trajectory frame stay the last ones).
enum GuardRails {
    struct Violation: Error, CustomStringConvertible {
        var description: String
    }

    /// Closest allowed distance between two atoms, Å: closer than this, the potential is being
    /// sampled where no potential is meant to be used (overlapping atoms).
    static let minimumDistance = 0.5
    /// Largest allowed temperature: max(this factor × the target (or starting) temperature, floor).
    static let runawayFactor = 20.0
    static let runawayFloor = 1.0e5

    static func check(_ state: MDState, neighbors: NeighborList, target: Double) throws {
        let c = state.configuration
        let step = state.step
        func name(_ i: Int) -> String { "atom \(c.ids[i] + 1) (\(c.speciesTable.symbols[Int(c.species[i])]))" }
        for i in 0..<c.count {
            for d in 0..<3 where !c.positions[3 * i + d].isFinite || !c.velocities[3 * i + d].isFinite || !state.evaluation.forces[3 * i + d].isFinite {
                throw Violation(description: "step \(step): \(name(i)) has a non-finite position, velocity or force; the run is unstable (time step too large, overlapping atoms or a bad potential)")
            }
        }
        if !state.evaluation.energy.isFinite {
            throw Violation(description: "step \(step): the potential energy is not finite")
        }
        // Atoms lost: far outside the cell along a non-periodic axis.
        let inverse = c.cell.inverse
        for i in 0..<c.count {
            for k in 0..<3 where !c.cell.periodic[k] {
                let s = c.positions[3 * i] * inverse[k] + c.positions[3 * i + 1] * inverse[3 + k] + c.positions[3 * i + 2] * inverse[6 + k]
                if s < -10 || s > 11 {
                    throw Violation(description: "step \(step): \(name(i)) is lost: it left the box along non-periodic axis \(["a", "b", "c"][k]) by more than 10 box lengths")
                }
            }
        }
        // Overlapping atoms, from the half list (current positions of the extended atoms).
        let limit = minimumDistance * minimumDistance
        let x = neighbors.extendedPositions
        for center in 0..<neighbors.centers.count {
            let p = Int(neighbors.centers[center])
            for k in Int(neighbors.firstNeighbor[center])..<Int(neighbors.firstNeighbor[center + 1]) {
                let q = Int(neighbors.neighbors[k])
                let dx = x[3 * p] - x[3 * q], dy = x[3 * p + 1] - x[3 * q + 1], dz = x[3 * p + 2] - x[3 * q + 2]
                let r2 = dx * dx + dy * dy + dz * dz
                if r2 < limit {
                    let i = Int(neighbors.source[p]), j = Int(neighbors.source[q])
                    throw Violation(description: "step \(step): \(name(i)) and \(name(j)) are \(r2.squareRoot()) Å apart (< \(minimumDistance) Å): atoms overlap")
                }
            }
        }
        let ceiling = max(runawayFactor * target, runawayFloor)
        if state.temperature > ceiling {
            throw Violation(description: "step \(step): the temperature ran away to \(state.temperature) K (limit \(ceiling) K)")
        }
    }
}
