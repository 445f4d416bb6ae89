import CrucibleCore
@testable import CrucibleIO

/// A deliberately simple O(N²·images) EAM evaluation on top of `EAMSplines`, following LAMMPS's
/// formulas: E = Σ_i F_i(ρ_i) + ½ Σ_i Σ_j φ_ij; per-atom energy F_i + ½ Σ_j φ_ij;
/// force on i from j = (x_i − x_j)·fpair with fpair = −(F'_i ρ'_{j→i} + F'_j ρ'_{i→j} + φ')/r.
struct BruteForceEAM {
    struct Result {
        var energy: Double
        var perAtom: [Double]
        var forces: [Double]
        /// Σ over pairs of del_a·del_b·fpair (row-major 3×3), LAMMPS's virial.
        var virial: [Double]
    }

    let splines: EAMSplines

    func evaluate(positions: [Double], elements: [Int], cell: [Double]) -> Result {
        let n = elements.count
        let neighbours = pairs(positions: positions, cell: cell, count: n)

        var rho = [Double](repeating: 0, count: n)
        for pair in neighbours {
            rho[pair.i] += splines.density(splines.densityTable(source: elements[pair.j], target: elements[pair.i]), pair.r)
        }
        var perAtom = [Double](repeating: 0, count: n)
        var fp = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let (F, dF) = splines.embedding(elements[i], rho[i])
            perAtom[i] = F
            fp[i] = dF
        }
        var forces = [Double](repeating: 0, count: 3 * n)
        var virial = [Double](repeating: 0, count: 9)
        for pair in neighbours {
            let (i, j, r) = (pair.i, pair.j, pair.r)
            let (ei, ej) = (elements[i], elements[j])
            let rhoip = splines.densityDerivative(splines.densityTable(source: ei, target: ej), r)
            let rhojp = splines.densityDerivative(splines.densityTable(source: ej, target: ei), r)
            let (phi, phip) = splines.pairPhi(splines.pairTable(ei, ej), r)
            let psip = fp[i] * rhojp + fp[j] * rhoip + phip
            let fpair = -psip / r
            perAtom[i] += 0.5 * phi
            for a in 0..<3 {
                forces[3 * i + a] += pair.delta[a] * fpair
                // Each unordered pair appears twice (i→j and j→i): half of the virial each time.
                for b in 0..<3 { virial[3 * a + b] += 0.5 * pair.delta[a] * pair.delta[b] * fpair }
            }
        }
        return Result(energy: perAtom.reduce(0, +), perAtom: perAtom, forces: forces, virial: virial)
    }

    private struct Pair {
        var i: Int
        var j: Int
        var r: Double
        var delta: [Double]
    }

    /// All ordered pairs (i, j, image) with r² < cutoff², periodic images included.
    private func pairs(positions: [Double], cell: [Double], count n: Int) -> [Pair] {
        let a = Array(cell[0..<3]), b = Array(cell[3..<6]), c = Array(cell[6..<9])
        let volume = abs(dot(a, cross(b, c)))
        // Images needed along each lattice vector: cutoff / interplanar spacing.
        let reach = [cross(b, c), cross(c, a), cross(a, b)].map { Int((splines.cutoff * norm($0) / volume).rounded(.up)) }
        var result: [Pair] = []
        for i in 0..<n {
            for j in 0..<n {
                for na in -reach[0]...reach[0] {
                    for nb in -reach[1]...reach[1] {
                        for nc in -reach[2]...reach[2] {
                            if i == j && na == 0 && nb == 0 && nc == 0 { continue }
                            var delta = [0.0, 0.0, 0.0]
                            for k in 0..<3 {
                                let shift = Double(na) * a[k] + Double(nb) * b[k] + Double(nc) * c[k]
                                delta[k] = positions[3 * i + k] - (positions[3 * j + k] + shift)
                            }
                            let rsq = delta[0] * delta[0] + delta[1] * delta[1] + delta[2] * delta[2]
                            if rsq < splines.cutoffSquared {
                                result.append(Pair(i: i, j: j, r: rsq.squareRoot(), delta: delta))
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    private func dot(_ u: [Double], _ v: [Double]) -> Double { u[0] * v[0] + u[1] * v[1] + u[2] * v[2] }
    private func norm(_ u: [Double]) -> Double { dot(u, u).squareRoot() }
    private func cross(_ u: [Double], _ v: [Double]) -> [Double] {
        [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]]
    }
}
