import CrucibleCore
import Testing
@testable import CrucibleIO

/// Bit-for-bit agreement with LAMMPS on dimers (Resources/lammps_eam_dimers.txt, made by
/// Tools/make_lammps_eam_dimers.py). With two atoms every LAMMPS sum has a single term, so any
/// difference in the last bit would come from the tables, the splines or the evaluation order.
@Suite("EAM dimers, bit for bit against LAMMPS")
struct EAMDimerBitwiseTests {
    struct Row {
        var potential: String
        var a: String
        var b: String
        var r: Double
        var energy: Double
        var forceX: Double
    }

    static func rows() throws -> [Row] {
        try IOTestResources.text("lammps_eam_dimers.txt").split(separator: "\n").filter { !$0.hasPrefix("#") }.map {
            let f = $0.split(separator: " ").map(String.init)
            return Row(potential: f[0], a: f[1], b: f[2], r: try #require(Double(f[3])),
                       energy: try #require(Double(f[4])), forceX: try #require(Double(f[5])))
        }
    }

    /// LAMMPS's compute() for atom A at the origin and atom B at (r, 0, 0).
    static func dimer(_ s: EAMSplines, _ ea: Int, _ eb: Int, _ r: Double) -> (energy: Double, forceX: Double) {
        let delx = 0.0 - r
        let rsq = delx * delx + 0.0 * 0.0 + 0.0 * 0.0
        var rhoA = 0.0, rhoB = 0.0
        let inRange = rsq < s.cutoffSquared
        let rr = rsq.squareRoot()
        if inRange {
            rhoA += s.density(s.densityTable(source: eb, target: ea), rr)
            rhoB += s.density(s.densityTable(source: ea, target: eb), rr)
        }
        let (fA, dfA) = s.embedding(ea, rhoA)
        let (fB, dfB) = s.embedding(eb, rhoB)
        var energy = 0.0 + fA + fB
        var forceX = 0.0
        if inRange {
            let rhoip = s.densityDerivative(s.densityTable(source: ea, target: eb), rr)
            let rhojp = s.densityDerivative(s.densityTable(source: eb, target: ea), rr)
            let (phi, phip) = s.pairPhi(s.pairTable(ea, eb), rr)
            let psip = dfA * rhojp + dfB * rhoip + phip
            let fpair = -psip * (1.0 / rr)
            energy += phi
            forceX -= delx * fpair
        }
        return (energy, forceX)
    }

    @Test func bitForBit() throws {
        let rows = try Self.rows()
        #expect(rows.count == 121)
        var splinesByPotential: [String: EAMSplines] = [:]
        var beyondRhomax = 0
        for row in rows {
            let tables = try EAMReferenceTests.tables(row.potential)
            let splines = splinesByPotential[row.potential] ?? EAMSplines(tables)
            splinesByPotential[row.potential] = splines
            let ea = try #require(tables.elementIndex(of: row.a)), eb = try #require(tables.elementIndex(of: row.b))
            let (energy, forceX) = Self.dimer(splines, ea, eb, row.r)
            #expect(energy.bitPattern == row.energy.bitPattern, "\(row.potential) \(row.a)-\(row.b) r=\(row.r): E \(energy) vs \(row.energy)")
            #expect(forceX.bitPattern == row.forceX.bitPattern, "\(row.potential) \(row.a)-\(row.b) r=\(row.r): F \(forceX) vs \(row.forceX)")
            if row.r < splines.cutoff, splines.density(splines.densityTable(source: eb, target: ea), row.r) > splines.rhomax {
                beyondRhomax += 1
            }
        }
        // Some of the short distances push ρ past rhomax, exercising the linear extrapolation.
        #expect(beyondRhomax > 0)
    }
}
