import Testing
@testable import CrucibleCore

@Suite struct MinimizerCellRelaxationTests {
    /// Energy per atom of perfect fcc with lattice constant `a` for unshifted LJ cut at `cutoff`:
    /// ½ Σ over the lattice sites within the cutoff of 4ε[(σ/r)¹² − (σ/r)⁶].
    static func fccLatticeSum(a: Double, epsilon: Double, sigma: Double, cutoff: Double) -> Double {
        var sum = 0.0
        let range = Int((2 * cutoff / a).rounded(.up)) + 1
        for i in -range...range { for j in -range...range { for k in -range...range {
            // fcc sites: integer (i, j, k) with an even sum, times a/2.
            guard (i + j + k) % 2 == 0, !(i == 0 && j == 0 && k == 0) else { continue }
            let r = Double(i * i + j * j + k * k).squareRoot() * a / 2
            guard r < cutoff else { continue }
            let s2 = (sigma / r) * (sigma / r)
            let s6 = s2 * s2 * s2
            sum += 2 * epsilon * (s6 * s6 - s6)
        } } }
        return sum
    }

    /// Golden-section minimisation of f on [low, high].
    static func goldenMinimum(_ f: (Double) -> Double, _ low: Double, _ high: Double) -> Double {
        let g = (5.0.squareRoot() - 1) / 2
        var a = low, b = high
        var c = b - g * (b - a), d = a + g * (b - a)
        var fc = f(c), fd = f(d)
        while b - a > 1e-11 {
            if fc < fd { b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c) } else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d) }
        }
        return (a + b) / 2
    }

    @Test func isotropicRelaxationFindsTheAnalyticLatticeConstant() throws {
        // Argon, unshifted cut at 8.5 Å. The fifth shell (r = a √(5/2)) crosses the cutoff at
        // a = 5.376 Å, above the minimum, so the bracket below holds one smooth branch of E(a).
        let epsilon = 0.0104, sigma = 3.40, cutoff = 8.5
        let analytic = Self.goldenMinimum({ Self.fccLatticeSum(a: $0, epsilon: epsilon, sigma: sigma, cutoff: cutoff) }, 5.0, 5.35)
        var c = rattledCrystal(.fcc, a: 5.5, repeats: [3, 3, 3], symbols: ["Ar"], rattle: 0.05, seed: 7)
        let lj = try LennardJones(pairs: [.init("Ar", "Ar", epsilon: epsilon, sigma: sigma)], cutoff: cutoff, shift: false,
                                  speciesTable: c.speciesTable)
        var evaluator = Evaluator(potential: lj, skin: 0.5)
        let minimizer = FIREMinimizer(maxForce: 1e-6, maxSteps: 5000,
                                      cellRelaxation: CellRelaxation(pressure: 0, coupling: .isotropic, stressTolerance: 1e-3))
        let result = minimizer.minimize(&c, evaluator: &evaluator)
        #expect(result.converged && result.reason == .forceTolerance)
        let found = cubeRoot(c.cell.volume) / 3
        let analyticEnergy = Self.fccLatticeSum(a: analytic, epsilon: epsilon, sigma: sigma, cutoff: cutoff)
        #expect(abs(found - analytic) < 1e-6, "found a = \(found) Å, analytic \(analytic) Å")
        #expect(abs(result.energy / Double(c.count) - analyticEnergy) < 1e-9)
        // The shape is kept: still cubic.
        let l = c.cell.lengths
        #expect(abs(l[0] - l[1]) < 1e-9 && abs(l[0] - l[2]) < 1e-9 && abs(c.cell[0, 1]) < 1e-12)
        print("LJ fcc Ar: a = \(found) Å (analytic \(analytic) Å), E = \(result.energy / Double(c.count)) eV/atom "
              + "(analytic \(analyticEnergy)), \(result.steps) steps, pressure \(-(result.stress[0] + result.stress[1] + result.stress[2]) / 3 * Units.pressureToBar) bar")
    }

    @Test(arguments: [(CellRelaxation.Coupling.anisotropic, 0.08), (.anisotropic, 0), (.triclinic, 0.08)])
    func rattledAlloyRelaxesToTargetPressure(_ coupling: CellRelaxation.Coupling, shear: Double) throws {
        var c = rattledCrystal(.fcc, a: 5.7, repeats: [3, 3, 3], symbols: ["Ar", "Kr"], rattle: 0.2, seed: 3, shear: shear)
        if shear == 0 { c = deform(c, by: [1.03, 0, 0, 0, 0.98, 0, 0, 0, 1]) }  // orthorhombic, not cubic
        let start = c
        let potential = try FIREMinimizerTests.argonKrypton(c.speciesTable)
        var evaluator = Evaluator(potential: potential, skin: 0.5)
        let pressure = 1000.0
        let relaxation = CellRelaxation(pressure: pressure, coupling: coupling, stressTolerance: 0.1)
        let result = FIREMinimizer(maxForce: 1e-4, maxSteps: 20_000, cellRelaxation: relaxation).minimize(&c, evaluator: &evaluator)
        #expect(result.converged && result.reason == .forceTolerance)
        #expect(result.maxForce <= 1e-4 && result.stressResidual <= 0.1)

        // Independent check of the final state with a fresh evaluator.
        var check = Evaluator(potential: potential, skin: 0.5)
        let final = check.evaluate(&c)
        let stress = final.stress(volume: c.cell.volume).map { $0 * Units.pressureToBar }  // bar
        switch coupling {
        case .triclinic:
            // The whole stress tensor is hydrostatic at −P.
            for d in 0..<3 { #expect(abs(stress[d] + pressure) < 0.1, "σ\(d) = \(stress[d]) bar") }
            for d in 3..<6 { #expect(abs(stress[d]) < 0.1, "σ\(d) = \(stress[d]) bar") }
        case .anisotropic where shear == 0:
            // Orthogonal cell: the diagonal is at −P, the shear stresses (not relaxed) are what they are.
            for d in 0..<3 { #expect(abs(stress[d] + pressure) < 0.1, "σ\(d) = \(stress[d]) bar") }
            #expect(zip(angleCosines(c.cell), angleCosines(start.cell)).allSatisfy { abs($0 - $1) < 1e-9 })
        default:
            // Angles kept; the enthalpy is stationary when stretching any edge (finite differences).
            #expect(zip(angleCosines(c.cell), angleCosines(start.cell)).allSatisfy { abs($0 - $1) < 1e-9 })
            let p = pressure / Units.pressureToBar
            for k in 0..<3 {
                func enthalpy(_ e: Double) -> Double {
                    var stretched = c
                    for d in 0..<3 { stretched.cell[k, d] *= 1 + e }
                    let s = fractional(c)
                    for i in 0..<c.count { for d in 0..<3 {
                        stretched.positions[3 * i + d] = (0..<3).reduce(0.0) { $0 + s[3 * i + $1] * stretched.cell[$1, d] }
                    } }
                    var evaluator = Evaluator(potential: potential, skin: 0.5)
                    return evaluator.evaluate(&stretched, request: .energy).energy + p * stretched.cell.volume
                }
                let h = 1e-5
                let slope = (enthalpy(h) - enthalpy(-h)) / (2 * h)  // eV per unit strain = V·(residual stress)
                #expect(abs(slope / c.cell.volume * Units.pressureToBar) < 0.2, "edge \(k): dH/dε = \(slope) eV")
            }
        }
        print("\(coupling) (shear \(shear)) at \(pressure) bar: \(result.steps) steps, stress \(stress.map { ($0 * 1000).rounded() / 1000 }) bar, "
              + "max force \(result.maxForce) eV/Å, lengths \(c.cell.lengths), angle cosines \(angleCosines(c.cell))")
    }

    func angleCosines(_ cell: Cell) -> [Double] {
        let l = cell.lengths
        func dot(_ i: Int, _ j: Int) -> Double { (0..<3).reduce(0.0) { $0 + cell[i, $1] * cell[j, $1] } }
        return [dot(1, 2) / (l[1] * l[2]), dot(0, 2) / (l[0] * l[2]), dot(0, 1) / (l[0] * l[1])]
    }

    func fractional(_ c: Configuration) -> [Double] {
        let inverse = c.cell.inverse
        var s = c.positions
        for i in 0..<c.count { for d in 0..<3 {
            s[3 * i + d] = (0..<3).reduce(0.0) { $0 + c.positions[3 * i + $1] * inverse[3 * $1 + d] }
        } }
        return s
    }
}

private func cubeRoot(_ x: Double) -> Double { _pow(x, 1.0 / 3) }
