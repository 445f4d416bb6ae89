/// Checks that stop a run cleanly, naming the step and the atoms, before garbage is written.
enum GuardRails {
    struct Violation: Error, CustomStringConvertible {
        var description: String
    }

    static func check(_ state: MDState, step: Int) throws {
        let c = state.configuration
        for i in 0..<c.count {
            for d in 0..<3 {
                if !c.positions[3 * i + d].isFinite || !c.velocities[3 * i + d].isFinite || !state.potential.forces[3 * i + d].isFinite {
                    throw Violation(description: "step \(step): atom \(c.ids[i] + 1) (\(c.speciesTable.symbols[Int(c.species[i])])) has a non-finite position, velocity or force; the run is unstable (time step too large, atoms overlapping, or a bad potential)")
                }
            }
        }
        if !state.potential.energy.isFinite {
            throw Violation(description: "step \(step): the potential energy is not finite")
        }
    }
}
