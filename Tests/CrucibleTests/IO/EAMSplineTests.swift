import CrucibleCore
import Testing
@testable import CrucibleIO

@Suite("EAM tables and LAMMPS splines")
struct EAMSplineTests {
    static func mishin() throws -> EAMTables {
        try EAMTables(setflPath: IOTestResources.path("Cu_mishin1.eam.alloy"))
    }

    @Test("splines pass through the tabulated points")
    func reproducesTable() throws {
        for tables in [try Self.mishin(), try EAMTables(finnisSinclairPath: IOTestResources.path("Fe_mm.eam.fs")),
                       try EAMTables(funcflPaths: [IOTestResources.path("Cu_u3.eam")], elements: ["Cu"])] {
            let splines = EAMSplines(tables)
            for k in stride(from: 0, to: tables.nr, by: 37) {
                let r = Double(k) * tables.dr
                let rho = tables.density[0][k], z2 = tables.z2r[0][k]
                #expect(abs(splines.density(0, r) - rho) <= 1e-12 * max(1, abs(rho)), "rho k=\(k)")
                if k > 0 {
                    let phi = splines.pairPhi(0, r).phi
                    #expect(abs(phi * r - z2) <= 1e-10 * max(1, abs(z2)), "z2r k=\(k)")
                }
            }
            for k in stride(from: 0, to: tables.nrho, by: 41) {
                let f = tables.embedding[0][k]
                let F = splines.embedding(0, Double(k) * tables.drho).F
                #expect(abs(F - f) <= 1e-12 * max(1, abs(f)), "F k=\(k)")
            }
            // At r = 0, p is exactly 0 in the first interval: the spline returns the stored value exactly.
            #expect(splines.density(0, 0) == tables.density[0][0])
        }
    }

    @Test("derivatives match finite differences of the values")
    func derivatives() throws {
        let tables = try Self.mishin()
        let splines = EAMSplines(tables)
        var generator = IOFuzzRandom(seed: 9)
        let h = 1e-6
        for _ in 0..<200 {
            let r = 1.5 + Double(generator.next() % 1_000_000) / 1_000_000 * (tables.cutoff - 1.6)
            let fd = (splines.density(0, r + h) - splines.density(0, r - h)) / (2 * h)
            #expect(abs(fd - splines.densityDerivative(0, r)) < 1e-6 * max(1, abs(fd)), "rho' at r=\(r)")
            let pfd = (splines.pairPhi(0, r + h).phi - splines.pairPhi(0, r - h).phi) / (2 * h)
            #expect(abs(pfd - splines.pairPhi(0, r).dphi) < 1e-6 * max(1, abs(pfd)), "phi' at r=\(r)")
            let rho = Double(generator.next() % 1_000_000) / 1_000_000 * tables.rhomax * 0.99 + 0.01
            let efd = (splines.embedding(0, rho + h).F - splines.embedding(0, rho - h).F) / (2 * h)
            #expect(abs(efd - splines.embedding(0, rho).dF) < 1e-6 * max(1, abs(efd)), "F' at rho=\(rho)")
        }
    }

    @Test("above rhomax, F continues linearly with the end slope (LAMMPS's extrapolation)")
    func extrapolation() throws {
        let splines = EAMSplines(try Self.mishin())
        let top = splines.embedding(0, splines.rhomax)
        for extra in [0.5, 3.0, 100.0] {
            let beyond = splines.embedding(0, splines.rhomax + extra)
            #expect(beyond.dF == top.dF)
            #expect(abs(beyond.F - (top.F + top.dF * extra)) < 1e-9 * max(1, abs(beyond.F)))
        }
        // Below the table start the first interval's cubic is continued (knot clamped to 1).
        #expect(splines.embedding(0, -1e-3).F.isFinite)
        // Nonsense input never traps (NaN lands on the last knot, as LAMMPS's MIN(p, 1.0) does).
        _ = splines.embedding(0, .nan)
        _ = splines.embedding(0, -.infinity)
        _ = splines.density(0, .infinity)
        _ = splines.pairPhi(0, .nan)
    }

    @Test("funcfl on its own grid: one point fewer than the file, values preserved, z2r = 27.2·0.529·Z²")
    func singleFuncfl() throws {
        let file = try FuncflFile(path: IOTestResources.path("Cu_u3.eam"))
        let tables = try EAMTables(funcfl: [file], elements: ["Cu"])
        #expect(tables.nr == 499 && tables.nrho == 499)
        #expect(tables.dr == file.dr && tables.drho == file.drho)
        #expect(tables.rhomax == 499 * file.drho)  // one grid step past the mixed table's last point
        #expect(tables.cutoff == file.cutoff && tables.masses == [63.55])
        for k in 0..<tables.nr {
            #expect(abs(tables.density[0][k] - file.density[k]) <= 1e-13 * max(1, abs(file.density[k])))
            let z2 = 27.2 * 0.529 * file.effectiveCharge[k] * file.effectiveCharge[k]
            #expect(abs(tables.z2r[0][k] - z2) <= 1e-12 * max(1, abs(z2)))
        }
        #expect(tables.embedding[0][0] == file.embedding[0])
    }

    @Test("funcfl mixing: common grid from the largest spacings, geometric mixing of Z")
    func mixing() throws {
        let cu = try FuncflFile(path: IOTestResources.path("Cu_u3.eam"))
        let ni = try FuncflFile(path: IOTestResources.path("Ni_u3.eam"))
        let tables = try EAMTables(funcfl: [cu, ni], elements: ["Cu", "Ni"])
        #expect(tables.dr == max(cu.dr, ni.dr) && tables.drho == max(cu.drho, ni.drho))
        #expect(tables.nr == 499)  // rmax = 499·0.01 (Cu) > 499·0.0097 (Ni)
        #expect(tables.cutoff == max(cu.cutoff, ni.cutoff))
        #expect(tables.z2r.count == 3 && tables.density.count == 2 && tables.embedding.count == 2)
        let cuni = tables.z2r[EAMTables.pairIndex(1, 0)]
        let nini = tables.z2r[EAMTables.pairIndex(1, 1)]
        let cucu = tables.z2r[EAMTables.pairIndex(0, 0)]
        for k in stride(from: 1, to: tables.nr, by: 13) {
            // Geometric mixing: (r·φ_CuNi)² = (r·φ_CuCu)(r·φ_NiNi).
            #expect(abs(cuni[k] * cuni[k] - cucu[k] * nini[k]) <= 1e-12 * max(1, abs(cucu[k] * nini[k])))
        }
        let splines = EAMSplines(tables)
        #expect(splines.pairTable(0, 1) == splines.pairTable(1, 0))
        #expect(splines.densityTable(source: 1, target: 0) == 1 && splines.densityTable(source: 0, target: 1) == 0)
    }

    @Test("Finnis–Sinclair indexing: density tables by (source, target)")
    func finnisSinclairIndexing() throws {
        let file = try SetflFile(path: IOTestResources.path("Fe_mm.eam.fs"), variant: .finnisSinclair)
        var two = file
        two.elements = ["Fe", "Xx"]
        two.masses += [1]
        two.embedding += [file.embedding[0]]
        two.density = [file.density[0], [Double](repeating: 1, count: file.nr),
                       [Double](repeating: 2, count: file.nr), [Double](repeating: 3, count: file.nr)]
        two.z2r = [file.z2r[0], file.z2r[0], file.z2r[0]]
        let splines = EAMSplines(EAMTables(setfl: two))
        #expect(splines.density(splines.densityTable(source: 0, target: 1), 2.0) == 1)
        #expect(splines.density(splines.densityTable(source: 1, target: 0), 2.0) == 2)
        #expect(splines.density(splines.densityTable(source: 1, target: 1), 2.0) == 3)
    }
}
