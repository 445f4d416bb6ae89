/// A collective variable: one number computed from the positions (and cell), with its gradient.
/// A bias (`PinningBias`) turns it into forces; the thermo log and trajectories report its value.
///
/// `evaluate` computes the value and keeps in the variable's own scratch what `addGradient` needs,
/// so a bias asks for the value first and then for the gradient scaled by its slope, with one pass
/// over the neighbours.
public protocol CollectiveVariable: Sendable {
    /// Label in outputs (the thermo column is `cv_<name>`, the trajectory observable too).
    var name: String { get }
    /// The farthest neighbour the variable reads, Å (0: none, e.g. a Fourier component).
    var cutoff: Double { get }
    /// The value at `configuration`; `neighbors` is valid for it and reaches at least `cutoff`.
    mutating func evaluate(_ configuration: Configuration, neighbors: NeighborList) -> Double
    /// Adds `weight` × ∂CV/∂x_i to `forces` (flat 3N, owned atoms) and `weight` × ∂CV/∂ε (Voigt xx yy
    /// zz yz xz xy; ε a homogeneous strain of cell and atoms, i.e. at fixed fractional coordinates) to
    /// `virial`, at the configuration of the last `evaluate`. For functions of bond vectors that is
    /// Σ_b d_b ⊗ ∂CV/∂d_b; for the Fourier order parameter, which depends on fractional coordinates
    /// only, it is zero. (A bias passes weight = −dU/dCV, so these are its forces and virial.)
    func addGradient(weight: Double, forces: inout [Double], virial: inout [Double])
}

/// The bonds a bond-order parameter reads: each pair of selected atoms closer than the cutoff once,
/// from the half neighbour list, as owner indices and separation vector d = x_i − x_j.
/// Kept in the variable's scratch between `evaluate` and `addGradient`.
struct BondList: Sendable {
    var first: [Int32] = []
    var second: [Int32] = []
    var separation: [Double] = []        // flat 3 per bond
    var count: Int { first.count }

    /// Collects the bonds of `neighbors` shorter than `cutoff` between atoms whose species are selected.
    mutating func collect(_ neighbors: NeighborList, cutoff: Double, selected: [Bool]) {
        first.removeAll(keepingCapacity: true)
        second.removeAll(keepingCapacity: true)
        separation.removeAll(keepingCapacity: true)
        let cut2 = cutoff * cutoff
        let x = neighbors.extendedPositions, type = neighbors.extendedSpecies, source = neighbors.source
        for c in neighbors.centers.indices {
            let i = Int(neighbors.centers[c])
            guard selected[Int(type[i])] else { continue }
            for k in Int(neighbors.firstNeighbor[c])..<Int(neighbors.firstNeighbor[c + 1]) {
                let j = Int(neighbors.neighbors[k])
                guard selected[Int(type[j])] else { continue }
                let dx = x[3 * i] - x[3 * j], dy = x[3 * i + 1] - x[3 * j + 1], dz = x[3 * i + 2] - x[3 * j + 2]
                // (Coincident atoms have no bond direction: they are left out rather than giving NaN.)
                let r2 = dx * dx + dy * dy + dz * dz
                if r2 < cut2 && r2 > 1e-16 {
                    first.append(source[i]); second.append(source[j])
                    separation.append(dx); separation.append(dy); separation.append(dz)
                }
            }
        }
    }
}

/// Adds the gradient of a function of bond vectors, g_b = ∂CV/∂d_b, to the atoms (+ on the first,
/// − on the second) and its virial Σ_b d_b ⊗ g_b, both scaled by `weight`.
@inline(__always)
func addBondGradient(_ g: (Double, Double, Double), bond b: Int, bonds: BondList, weight: Double,
                     forces: inout [Double], virial: inout [Double]) {
    let i = Int(bonds.first[b]), j = Int(bonds.second[b])
    let gx = weight * g.0, gy = weight * g.1, gz = weight * g.2
    forces[3 * i] += gx; forces[3 * i + 1] += gy; forces[3 * i + 2] += gz
    forces[3 * j] -= gx; forces[3 * j + 1] -= gy; forces[3 * j + 2] -= gz
    let dx = bonds.separation[3 * b], dy = bonds.separation[3 * b + 1], dz = bonds.separation[3 * b + 2]
    virial[0] += dx * gx; virial[1] += dy * gy; virial[2] += dz * gz
    virial[3] += dy * gz; virial[4] += dx * gz; virial[5] += dx * gy
}
