/// The final configuration of every replica in extended XYZ (ASE's keys), written atomically.
final class FinalStructureOperation: TriggeredOperation {
    let trigger = Trigger.last
    let needs: PotentialRequest = .all
    let paths: [String]

    init(paths: [String]) { self.paths = paths }

    func perform(_ run: inout ReplicaRun) throws {
        for (path, replica) in zip(paths, run.replicas) {
            var result = replica.beads[0].evaluation
            if replica.beads.count > 1 {
                // The centroid with the bead averages of energy, forces, virial and per-atom energies.
                let p = Double(replica.beads.count)
                result.energy = replica.meanPotentialEnergy
                result.forces = replica.centroidForces
                result.virial = (0..<6).map { a in replica.beads.map { $0.evaluation.virial[a] }.reduce(0, +) / p }
                result.perAtomEnergies = result.perAtomEnergies.indices.map { i in replica.beads.map { $0.evaluation.perAtomEnergies[i] }.reduce(0, +) / p }
            }
            try FinalStructure.write(replica.centroidConfiguration, result: result, to: path)
        }
    }
}

enum FinalStructure {
    /// The configuration with energy, forces, per-atom energies, stress and velocities under ASE's keys.
    static func write(_ configuration: Configuration, result: PotentialResult, to path: String) throws {
        var frame = XYZFrame(configuration: configuration)
        frame.info["energy"] = .double(result.energy)
        let s = result.stress(volume: configuration.cell.volume)
        // ASE writes stress as a full 3×3 matrix in the comment line.
        frame.info["stress"] = .doubleArray([s[0], s[5], s[4], s[5], s[1], s[3], s[4], s[3], s[2]])
        frame.arrays["forces"] = .doubles(result.forces, columns: 3)
        frame.arrays["energies"] = .doubles(result.perAtomEnergies, columns: 1)
        frame.arrays["velocities"] = .doubles(configuration.velocities, columns: 3)
        try TextFile.writeAtomically(try formatExtXYZ([frame]), to: path)
    }
}
