import Foundation
import Testing
@testable import CrucibleCore

/// Steinhardt Q6 and the locally averaged q6 behind the solid-like count, against published values
/// for perfect lattices and against freud 3.4 on rattled crystals (Resources/reference/steinhardt,
/// made by make_reference.py there).
@Suite struct BondOrderTests {
    struct Reference {
        var configuration: Configuration
        var rmax: Double, gap: (Double, Double), globalQ6: Double
        var q6: [Double], q6Averaged: [Double]
    }

    static func reference(_ name: String, symbol: String) throws -> Reference {
        let text = try String(contentsOfFile: IOTestResources.path("reference/steinhardt/\(name).txt"), encoding: .utf8)
        var cell: [Double] = [], rmax = 0.0, gap = (0.0, 0.0), q6Global = 0.0
        var positions: [Double] = [], q6: [Double] = [], averaged: [Double] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: " ").map(String.init)
            switch f[0] {
            case "cell": cell = f[1...3].map { Double($0)! }
            case "rmax": rmax = Double(f[1])!
            case "gap": gap = (Double(f[1])!, Double(f[2])!)
            case "Q6_bond_global": q6Global = Double(f[1])!
            case "Q6_freud_order", "atoms": break
            default:
                let v = f.map { Double($0)! }
                positions += v[0...2]; q6.append(v[3]); averaged.append(v[4])
            }
        }
        var table = SpeciesTable(); _ = table.add(symbol)
        let c = Configuration(cell: .orthorhombic(cell[0], cell[1], cell[2]), positions: positions,
                              species: [Int32](repeating: 0, count: q6.count), speciesTable: table)
        return Reference(configuration: c, rmax: rmax, gap: gap, globalQ6: q6Global, q6: q6, q6Averaged: averaged)
    }

    func value<V: CollectiveVariable>(_ variable: V, _ configuration: Configuration) -> (Double, V) {
        var v = variable
        var c = configuration
        var list = NeighborList(cutoff: v.cutoff, skin: 0.3)
        _ = list.update(&c)
        return (v.evaluate(c, neighbors: list), v)
    }

    func crystal(_ kind: LatticeKind, a: Double, repeats: Int) -> Configuration {
        rattledCrystal(kind, a: a, repeats: [repeats, repeats, repeats], symbols: ["Cu"], rattle: 0, seed: 1)
    }

    @Test func perfectLatticesGiveThePublishedQ6() {
        // Steinhardt, Nelson & Ronchetti PRB 28, 784 (1983); e.g. Mickel et al. JCP 138, 044501 (2013), table I.
        let cases: [(LatticeKind, Double, Double, Double)] = [
            (.fcc, 1.0, 0.80, 0.57452), (.bcc, 1.0, 0.90, 0.62854), (.sc, 1.0, 1.2, 0.35355),
        ]
        for (kind, a, cutoff, expected) in cases {
            let (q, _) = value(SteinhardtOrder(weight: CosineSwitch(inner: cutoff - 0.02, outer: cutoff), selected: [true]),
                               crystal(kind, a: a, repeats: 4))
            #expect(abs(q - expected) < 1e-5, "\(kind): \(q)")
        }
    }

    @Test func globalQ6MatchesTheBondAverageOfRattledCrystals() throws {
        for (name, symbol) in [("fcc", "Cu"), ("bcc", "Fe")] {
            let ref = try Self.reference(name, symbol: symbol)
            // The switch lies inside the gap between the shells, where it changes no bond's weight.
            let weight = CosineSwitch(inner: ref.gap.0 + 0.01, outer: ref.gap.1 - 0.01)
            let (q, _) = value(SteinhardtOrder(weight: weight, selected: [true]), ref.configuration)
            #expect(abs(q - ref.globalQ6) < 1e-10, "\(name): \(q) vs \(ref.globalQ6)")
        }
    }

    @Test func localAveragesMatchFreud() throws {
        for (name, symbol) in [("fcc", "Cu"), ("bcc", "Fe")] {
            let ref = try Self.reference(name, symbol: symbol)
            let weight = CosineSwitch(inner: ref.gap.0 + 0.01, outer: ref.gap.1 - 0.01)
            let (_, counted) = value(SolidLikeCount(weight: weight, threshold: RationalSwitch(r0: 0.35), selected: [true]), ref.configuration)
            let n = ref.configuration.count
            let averages = counted.localAverageVectors
            // freud computes in single precision: agreement to its ~1e-6.
            var worst = 0.0
            for i in 0..<n {
                let qbar = (4 * Double.pi / 13 * (0..<13).reduce(0.0) { $0 + averages[13 * i + $1] * averages[13 * i + $1] }).squareRoot()
                worst = max(worst, abs(qbar - ref.q6Averaged[i]))
            }
            #expect(worst < 1e-5, "\(name): largest |q̄6 − freud| = \(worst)")
        }
    }

    @Test func solidCountSeparatesTheOrderedHalf() throws {
        // The "mixed" structure: half fcc (rattle 0.08 Å), half strongly disordered (0.35 Å).
        let ref = try Self.reference("mixed", symbol: "Cu")
        let (count, _) = value(SolidLikeCount(weight: CosineSwitch(inner: 2.9, outer: 3.2), threshold: RationalSwitch(r0: 0.35), selected: [true]),
                               ref.configuration)
        // freud's q̄6 says how many atoms are solid-like at this threshold (hard cutoff there, smooth here).
        let solidByFreud = ref.q6Averaged.filter { $0 > 0.35 }.count
        #expect(abs(count - Double(solidByFreud)) < 0.1 * Double(ref.configuration.count), "n_solid \(count), freud above 0.35: \(solidByFreud)")
        #expect(count > 100 && count < 200)
    }
}
