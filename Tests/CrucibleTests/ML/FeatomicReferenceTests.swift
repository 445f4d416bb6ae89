import Foundation
import Testing
@testable import CrucibleCore
@testable import CrucibleIO
@testable import CrucibleML

/// The spherical expansion and power spectrum against featomic 0.6.7 (Resources/reference/featomic,
/// made by gen_refs.py there): values, gradients of weighted sums with respect to positions and
/// strain, and (S3) the full position gradients of the power spectrum, on a triclinic cell smaller
/// than twice the cutoff, a rattled 32-atom cell and a non-periodic cluster, with and without radial
/// scaling. The hyperparameters are read by the same JSON reader as `crucible features --hypers`.
@Suite struct FeatomicReferenceTests {
    struct Case {
        var configuration: Configuration
        var settings: DensitySettings
        var channels: ChannelMap
        var json: [String: Any]
    }

    static func load(_ name: String) throws -> Case {
        let path = IOTestResources.path("reference/featomic/\(name).json")
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let hypers = try JSONSerialization.data(withJSONObject: json["hypers_no_spline"]!)
        let settings = try DensitySettings(featomicJSON: hypers, file: name)
        let s = json["structure"] as! [String: Any]
        let symbols = s["symbols"] as! [String]
        let positions = (s["positions"] as! [[Double]]).flatMap { $0 }
        let cell = (s["cell"] as! [[Double]]).flatMap { $0 }
        let pbc = s["pbc"] as! [Bool]
        let frame = XYZFrame(cell: pbc.contains(true) ? cell : [Double](repeating: 0, count: 9), pbc: pbc, symbols: symbols, positions: positions)
        let configuration = try Configuration(frame: frame, file: name)
        // Channels by atomic number, as featomic orders its types.
        let sorted = configuration.speciesTable.symbols.sorted { Element(symbol: $0)!.atomicNumber < Element(symbol: $1)!.atomicNumber }
        let channels = ChannelMap.species(configuration.speciesTable.symbols.map { sorted.firstIndex(of: $0) })
        return Case(configuration: configuration, settings: settings, channels: channels, json: json)
    }

    /// Max |a − b| ≤ `tolerance` · max |b| (1e-8 for values, 2e-8 for gradients: the derivative of a
    /// cubic table; featomic's own default splines differ from its exact gradients by up to 1e-6).
    static func expectClose(_ a: [Double], _ b: [Double], _ what: String, tolerance: Double = 1e-8) {
        #expect(a.count == b.count, "\(what): \(a.count) vs \(b.count) entries")
        let scale = b.map(abs).max() ?? 0
        var worst = 0.0
        for (x, y) in zip(a, b) { worst = max(worst, abs(x - y)) }
        #expect(scale > 0)
        #expect(worst <= tolerance * scale, "\(what): max diff \(worst) of \(scale)")
    }

    struct Evaluated {
        var rows: PairRows
        var coefficients: [Double]
        var spectrum: PowerSpectrum
    }

    static func evaluate(_ c: Case) -> Evaluated {
        var configuration = c.configuration
        var list = NeighborList(cutoff: c.settings.cutoff, skin: 0)
        list.update(&configuration)
        var rows = PairRows(cutoff: c.settings.cutoff)
        rows.build(from: list)
        let spectrum = PowerSpectrum(expansion: SphericalExpansion(settings: c.settings, channels: c.channels))
        var coefficients: [Double] = []
        spectrum.expansion.coefficients(rows: rows, species: configuration.species, workers: .serial, into: &coefficients)
        return Evaluated(rows: rows, coefficients: coefficients, spectrum: spectrum)
    }

    /// ∂E/∂x (flat 3N) and Σ_p r_p ⊗ ∂E/∂r_p (3×3, row-major) from ∂E/∂c.
    static func gradients(_ e: Evaluated, _ c: Case, dEdc: [Double]) -> ([Double], [Double]) {
        var g: [Double] = []
        e.spectrum.expansion.pairGradients(rows: e.rows, species: c.configuration.species, coefficientGradients: dEdc, workers: .serial, into: &g)
        var forces = [Double](repeating: 0, count: 3 * c.configuration.count)
        e.rows.addForces(pairGradients: g, to: &forces, workers: .serial)
        var strain = [Double](repeating: 0, count: 9)
        for p in 0..<e.rows.pairCount { for a in 0..<3 { for b in 0..<3 { strain[3 * a + b] += e.rows.vectors[3 * p + a] * g[3 * p + b] } } }
        return (forces.map { -$0 }, strain)
    }

    @Test(arguments: ["S1_A", "S1_B", "S2_A", "S3_A", "S3_B"])
    func powerSpectrum(name: String) throws {
        let c = try Self.load(name)
        let e = Self.evaluate(c)
        let reference = c.json["power_spectrum"] as! [String: Any]
        let exact = reference["no_spline"] as! [String: Any]
        let n = c.configuration.count, f = e.spectrum.featureCount
        // Property labels in featomic's order, types as atomic numbers.
        let numbers = c.configuration.speciesTable.symbols.map { Element(symbol: $0)!.atomicNumber }.sorted()
        let labels = e.spectrum.properties.map { [numbers[$0[0]], numbers[$0[1]], $0[2], $0[3], $0[4]] }
        #expect(labels == (reference["properties"] as! [[Int]]))
        var features: [Double] = []
        e.spectrum.features(coefficients: e.coefficients, atomCount: n, workers: .serial, into: &features)
        Self.expectClose(features, (exact["values"] as! [[Double]]).flatMap { $0 }, "\(name) values")
        // Gradients of E = Σ_i W · p_i.
        let w = reference["W"] as! [Double]
        var dEdc: [Double] = []
        e.spectrum.coefficientGradients(featureGradients: (0..<n).flatMap { _ in w }, coefficients: e.coefficients, atomCount: n,
                                        workers: .serial, into: &dEdc)
        let (positions, strain) = Self.gradients(e, c, dEdc: dEdc)
        Self.expectClose(positions, (exact["positions_grad_W"] as! [[Double]]).flatMap { $0 }, "\(name) position gradients", tolerance: 2e-8)
        if let reference = exact["strain_grad_W"] as? [[Double]] {
            Self.expectClose(strain, reference.flatMap { $0 }, "\(name) strain gradients", tolerance: 2e-8)
        }
        // Full gradients (S3): the dense layout of `crucible features --gradients`.
        if let full = exact["positions_grad_full"] as? [[[[Double]]]] {
            let dense = e.spectrum.gradients(rows: e.rows, species: c.configuration.species, coefficients: e.coefficients)
            var expected: [Double] = [], computed: [Double] = []
            for (sample, (center, atom)) in dense.samples.enumerated() {
                computed += dense.positions[(sample * 3 * f)..<((sample + 1) * 3 * f)]
                expected += full[center][atom].flatMap { $0 }
            }
            // Atoms beyond the cutoff of a centre have no gradient sample; featomic's are zero.
            let listed = Set(dense.samples.map { "\($0.center) \($0.atom)" })
            for i in 0..<n { for k in 0..<n where !listed.contains("\(i) \(k)") {
                #expect(full[i][k].flatMap { $0 }.allSatisfy { $0 == 0 }, "\(name): atom \(k) outside \(i)'s cutoff has gradients")
            } }
            #expect(listed.count < n * n, "the cluster has a pair beyond the cutoff")
            Self.expectClose(computed, expected, "\(name) full position gradients", tolerance: 2e-8)
        }
    }

    @Test(arguments: ["S1_A", "S1_B", "S2_A", "S3_A"])
    func sphericalExpansion(name: String) throws {
        let c = try Self.load(name)
        let e = Self.evaluate(c)
        let reference = c.json["spherical_expansion"] as! [String: Any]
        let exact = reference["no_spline"] as! [String: Any]
        let values = exact["values"] as! [[[[Double]]]]          // [l][atom][m + l][q = (type, n)]
        let w = reference["W"] as! [[[Double]]]                   // [l][m + l][q]
        let expansion = e.spectrum.expansion
        let n = c.configuration.count, size = expansion.coefficientCount
        // Map featomic's [l][atom][m][(type, n)] onto Crucible's per-atom [l][channel][n][m].
        var expected = [Double](repeating: 0, count: n * size), dEdc = expected
        for (l, nl) in c.settings.radialCounts.enumerated() {
            let width = 2 * l + 1
            for i in 0..<n {
                for m in 0..<width {
                    for q in 0..<(c.channels.channelCount * nl) {
                        let channel = q / nl, radial = q % nl
                        let index = i * size + expansion.blockOffsets[l] + (channel * nl + radial) * width + m
                        expected[index] = values[l][i][m][q]
                        dEdc[index] = w[l][m][q]
                    }
                }
            }
        }
        Self.expectClose(e.coefficients, expected, "\(name) coefficients")
        let (positions, strain) = Self.gradients(e, c, dEdc: dEdc)
        Self.expectClose(positions, (exact["positions_grad_W"] as! [[Double]]).flatMap { $0 }, "\(name) position gradients", tolerance: 2e-8)
        if let reference = exact["strain_grad_W"] as? [[Double]] {
            Self.expectClose(strain, reference.flatMap { $0 }, "\(name) strain gradients", tolerance: 2e-8)
        }
    }
}
