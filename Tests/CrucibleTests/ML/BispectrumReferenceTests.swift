import Foundation
import Testing
@testable import CrucibleCore
@testable import CrucibleIO
@testable import CrucibleML

/// The bispectrum against featomic 0.6.7 (Resources/reference/bispectrum, made by gen_bispectrum.py
/// there from featomic's spherical expansion and sympy's 3j symbols; featomic's own
/// `DensityCorrelations` gives the same numbers): property labels, values, and the position and
/// cell gradients of a weighted sum, on a triclinic cell smaller than twice the cutoff, a rattled
/// 32-atom cell and a non-periodic cluster.
@Suite struct BispectrumReferenceTests {
    @Test(arguments: ["S1", "S2", "S3"]) func agreesWithFeatomic(name: String) throws {
        let path = IOTestResources.path("reference/bispectrum/\(name).json")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        let settings = try DensitySettings(featomicJSON: try JSONSerialization.data(withJSONObject: json["hypers"]!), file: name)
        let s = json["structure"] as! [String: Any]
        let positions = (s["positions"] as! [[Double]]).flatMap { $0 }, cell = (s["cell"] as! [[Double]]).flatMap { $0 }
        let pbc = s["pbc"] as! [Bool]
        let frame = XYZFrame(cell: pbc.contains(true) ? cell : [Double](repeating: 0, count: 9), pbc: pbc,
                             symbols: s["symbols"] as! [String], positions: positions)
        var configuration = try Configuration(frame: frame, file: name)
        let n = configuration.count
        // Channels by atomic number, featomic's order of types.
        let numbers = json["neighbor_types"] as! [Int]
        let channels = ChannelMap.species(configuration.speciesTable.symbols.map { numbers.firstIndex(of: Element(symbol: $0)!.atomicNumber) })
        let calculator = FeatureCalculator(kind: .bispectrum, settings: settings, channels: channels)
        let labels = calculator.properties.map { [$0[0], $0[1], $0[2], numbers[$0[3]], $0[4], numbers[$0[5]], $0[6], numbers[$0[7]], $0[8]] }
        #expect(labels == (json["properties"] as! [[Int]]))
        let f = calculator.featureCount
        let values = calculator.compute(configuration, gradients: false, workers: .serial).values
        FeatomicReferenceTests.expectClose(values, (json["values"] as! [[Double]]).flatMap { $0 }, "\(name) values")

        // E = Σ_i w · B_i through the backward pass: ∂E/∂x, and ∂E/∂H at fixed Cartesian positions.
        let w = json["weights"] as! [Double]
        let b = calculator.bispectrum!
        var list = NeighborList(cutoff: settings.cutoff, skin: 0)
        list.update(&configuration)
        var rows = PairRows(cutoff: settings.cutoff)
        rows.build(from: list)
        var coefficients: [Double] = [], dEdc: [Double] = [], g: [Double] = []
        b.expansion.coefficients(rows: rows, species: configuration.species, workers: .serial, into: &coefficients)
        b.coefficientGradients(featureGradients: (0..<n).flatMap { _ in w }, coefficients: coefficients, atomCount: n, workers: .serial, into: &dEdc)
        b.expansion.pairGradients(rows: rows, species: configuration.species, coefficientGradients: dEdc, workers: .serial, into: &g)
        var forces = [Double](repeating: 0, count: 3 * n)
        rows.addForces(pairGradients: g, to: &forces, workers: .serial)
        let dEdx = forces.map { -$0 }
        FeatomicReferenceTests.expectClose(dEdx, (json["positions_grad"] as! [[Double]]).flatMap { $0 }, "\(name) position gradients", tolerance: 2e-8)
        guard let cellGradient = json["cell_grad"] as? [[Double]] else { return }
        // Σ_p r_p ⊗ g_p − Σ_k x_k ⊗ ∂E/∂x_k = Σ_p (n_p H) ⊗ g_p = Hᵀ ∂E/∂H (x: the file's positions, n_p: image shifts).
        var expected = [Double](repeating: 0, count: 9), computed = expected
        for p in 0..<rows.pairCount { for a in 0..<3 { for c in 0..<3 { computed[3 * a + c] += rows.vectors[3 * p + a] * g[3 * p + c] } } }
        for k in 0..<n { for a in 0..<3 { for c in 0..<3 { computed[3 * a + c] -= positions[3 * k + a] * dEdx[3 * k + c] } } }
        for a in 0..<3 { for c in 0..<3 { for r in 0..<3 { expected[3 * a + c] += cell[3 * r + a] * cellGradient[r][c] } } }
        FeatomicReferenceTests.expectClose(computed, expected, "\(name) cell gradients", tolerance: 2e-8)
    }
}
