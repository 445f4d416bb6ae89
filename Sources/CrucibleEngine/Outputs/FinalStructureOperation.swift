/// The final configuration of every replica in extended XYZ (ASE's keys), written atomically.
final class FinalStructureOperation: TriggeredOperation {
    let trigger = Trigger.last
    let needs: PotentialRequest = .all
    let paths: [String]

    init(paths: [String]) { self.paths = paths }

    func perform(_ run: inout ReplicaRun) throws {
        for (path, replica) in zip(paths, run.replicas) {
            try FinalStructure.write(replica.beads[0].configuration, result: replica.beads[0].evaluation, to: path)
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
