@testable import CrucibleCore

/// Each Cartesian coordinate k tied to its site by a spring: E = Σ_k ½ stiffness (x_k − site_k)²
/// (stiffness in eV/Å²). Independent harmonic oscillators with exact classical and quantum
/// statistics, for the replica-exchange and path-integral tests. Sites must sit far from the cell's
/// faces (positions are not unwrapped).
struct HarmonicWells: Potential {
    var name: String { "harmonic wells" }
    var cutoff: Double { 1 }
    let sites: [Double]
    /// eV/Å², per coordinate.
    let stiffnesses: [Double]

    init(sites: [Double], stiffness: Double) {
        self.sites = sites
        stiffnesses = [Double](repeating: stiffness, count: sites.count)
    }

    init(sites: [Double], stiffnesses: [Double]) {
        self.sites = sites
        self.stiffnesses = stiffnesses
    }

    mutating func evaluate(_ configuration: Configuration, neighbors: NeighborList, request: PotentialRequest,
                           workers: Workers, into result: inout PotentialResult) {
        for k in sites.indices {
            let d = configuration.positions[k] - sites[k], stiffness = stiffnesses[k]
            result.energy += 0.5 * stiffness * d * d
            result.forces[k] -= stiffness * d
            result.virial[k % 3] -= stiffness * d * configuration.positions[k]
            if request.contains(.perAtomEnergies) { result.perAtomEnergies[k / 3] += 0.5 * stiffness * d * d }
        }
    }
}
