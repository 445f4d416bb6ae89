import Testing
@testable import CrucibleCore

/// The generalized cell forces are −∂H/∂q of the enthalpy H = E + P V, with the atoms' undeformed
/// coordinates held fixed, for every coupling, away from F = I.
@Suite struct MinimizerCellStrainTests {
    @Test(arguments: CellRelaxation.Coupling.allCases)
    func cellForcesAreMinusEnthalpyGradient(_ coupling: CellRelaxation.Coupling) throws {
        let start = rattledCrystal(.fcc, a: 5.6, repeats: [2, 2, 2], symbols: ["Ar", "Kr"], rattle: 0.2, seed: 4, shear: 0.2)
        let potential = try FIREMinimizerTests.argonKrypton(start.speciesTable)
        let relaxation = CellRelaxation(pressure: 5000, coupling: coupling)
        let strain = CellStrain(relaxation: relaxation, cell: start.cell, atomCount: start.count)
        // A point away from the start: every coordinate moved.
        var q = strain.identityCoordinates
        for j in q.indices { q[j] += 0.02 * Double(j + 1) * strain.scale / 10 * (j % 2 == 0 ? 1 : -1) }

        func state(_ q: [Double]) -> (Configuration, [Double]) {
            let f = strain.deformation(q[...])
            var c = start
            c.cell.matrix = strain.cellMatrix(deformation: f)
            for i in 0..<c.count { Matrix3.apply(f, start.positions, 3 * i, into: &c.positions) }
            return (c, f)
        }
        func enthalpy(_ q: [Double]) -> Double {
            var (c, _) = state(q)
            var evaluator = Evaluator(potential: potential, skin: 0.5)
            return evaluator.evaluate(&c, request: .energy).energy + strain.pressure * c.cell.volume
        }
        var (c, f) = state(q)
        var evaluator = Evaluator(potential: potential, skin: 0.5)
        let result = evaluator.evaluate(&c)
        let analytic = strain.forces(virial: result.virial, volume: c.cell.volume, deformation: f)
        let h = 1e-4
        for j in q.indices {
            var plus = q, minus = q
            plus[j] += h; minus[j] -= h
            let numeric = -(enthalpy(plus) - enthalpy(minus)) / (2 * h)
            #expect(abs(numeric - analytic[j]) <= 1e-6 * max(1, abs(analytic[j])), "coordinate \(j): analytic \(analytic[j]) numeric \(numeric)")
        }
    }

    @Test func anisotropicStrainKeepsAngles() {
        let start = rattledCrystal(.fcc, a: 5.6, repeats: [2, 2, 2], symbols: ["Ar"], rattle: 0, seed: 1, shear: 0.3)
        let strain = CellStrain(relaxation: CellRelaxation(coupling: .anisotropic), cell: start.cell, atomCount: start.count)
        var q = strain.identityCoordinates
        q[0] *= 1.1; q[1] *= 0.95; q[2] *= 1.02
        let cell = Cell(matrix: strain.cellMatrix(deformation: strain.deformation(q[...])))
        let ratios = [1.1, 0.95, 1.02]
        for k in 0..<3 { for d in 0..<3 {
            #expect(abs(cell[k, d] - ratios[k] * start.cell[k, d]) < 1e-12)
        } }
    }
}
