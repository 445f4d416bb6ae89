/// Holds chosen atoms in place after every step: their positions go back to where they started and
/// their velocities to zero, while they still act on the others through the potential (LAMMPS's
/// `fix setforce 0 0 0` on atoms at rest). The melting workflow holds the solid half of a slab this
/// way while the other half melts. Every bead of a replica is held (classical runs have one).
final class HoldAtomsOperation: TriggeredOperation, ReplicaLocalOperation {
    let trigger = Trigger.eachStep
    let needs: PotentialRequest = []
    /// Per replica index: the held atoms and their positions (flat 3 per held atom).
    let atoms: [Int: [Int]]
    let positions: [Int: [Double]]

    init(atoms: [Int: [Int]], positions: [Int: [Double]]) {
        self.atoms = atoms
        self.positions = positions
    }

    func perform(on replica: inout Replica, step: Int, request: PotentialRequest) {
        guard let held = atoms[replica.index], let reference = positions[replica.index] else { return }
        for b in replica.beads.indices {
            for (k, i) in held.enumerated() {
                for d in 0..<3 {
                    replica.beads[b].configuration.positions[3 * i + d] = reference[3 * k + d]
                    replica.beads[b].configuration.velocities[3 * i + d] = 0
                }
            }
        }
    }
}
