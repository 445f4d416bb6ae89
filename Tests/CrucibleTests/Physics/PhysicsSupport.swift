import Foundation
import Testing
@testable import CrucibleCore
@testable import CrucibleIO

// Shared pieces of the long physics checks in this folder. Every suite here runs only with
// CRUCIBLE_PHYSICS=1 (a few minutes in release, far too long for every `swift test`):
//
//     CRUCIBLE_PHYSICS=1 swift test -c release -Xswiftc -enable-testing --filter Physics

/// Reference data made with LAMMPS: Resources/reference (README.md there says how and what each key is).
enum PhysicsReference {
    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: IOTestResources.path("reference/" + name)))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func configuration(_ name: String) throws -> Configuration {
        let frames = try readExtXYZ(path: IOTestResources.path("reference/" + name))
        return try Configuration(frame: try #require(frames.first), file: name)
    }

    static func embeddedAtom(setfl file: String, for table: SpeciesTable) throws -> EmbeddedAtom {
        try EmbeddedAtom(splines: EAMSplines(EAMTables(setflPath: IOTestResources.path(file))), speciesTable: table)
    }

    static func embeddedAtom(funcfl file: String, element: String, for table: SpeciesTable) throws -> EmbeddedAtom {
        try EmbeddedAtom(splines: EAMSplines(EAMTables(funcflPaths: [IOTestResources.path(file)], elements: [element])),
                         speciesTable: table)
    }
}

/// Least-squares line y = a + b x: slope b and its standard error (from the residuals, as if
/// independent; only a scale for how well the slope is determined).
func physicsLinearFit(_ x: [Double], _ y: [Double]) -> (intercept: Double, slope: Double, slopeError: Double) {
    let n = Double(x.count)
    let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
    var sxx = 0.0, sxy = 0.0
    for (a, b) in zip(x, y) { sxx += (a - mx) * (a - mx); sxy += (a - mx) * (b - my) }
    let slope = sxy / sxx
    let intercept = my - slope * mx
    var rss = 0.0
    for (a, b) in zip(x, y) { let r = b - intercept - slope * a; rss += r * r }
    return (intercept, slope, (rss / max(1, n - 2) / sxx).squareRoot())
}

/// Wall-clock seconds of `body`.
func physicsTimed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = Date()
    let value = try body()
    return (value, Date().timeIntervalSince(start))
}

/// fcc Cu crystal (`repeats`³ conventional cells) with Maxwell–Boltzmann velocities.
func physicsCopperCrystal(a: Double, repeats: Int, temperature: Double, seed: UInt64) -> Configuration {
    var table = SpeciesTable(); _ = table.add("Cu")
    let (cell, positions) = Lattice(kind: .fcc, a: a, repeats: [repeats, repeats, repeats]).build()
    var c = Configuration(cell: cell, positions: positions, species: [Int32](repeating: 0, count: positions.count / 3),
                          speciesTable: table)
    var random = RandomStream(seed: seed, stream: 7)
    c.assignMaxwellBoltzmannVelocities(temperature: temperature, random: &random)
    return c
}

/// Runs MD and hands every `every`-th state to `observe` (after the step).
func physicsRun(_ integrator: FixedStateIntegrator, _ state: inout MDState, _ evaluator: inout Evaluator, steps: Int, every: Int = 1,
                observe: (MDState) -> Void = { _ in }) {
    for s in 1...steps {
        integrator.step(&state, evaluator: &evaluator)
        if s % every == 0 { observe(state) }
    }
}

/// Variance of correlated samples and its standard error, from the spread of the variances of
/// `blocks` consecutive blocks (each taken around the global mean).
func physicsVarianceStatistics(_ samples: [Double], blocks: Int = 20) -> (variance: Double, error: Double) {
    let size = samples.count / blocks
    let mean = samples.prefix(size * blocks).reduce(0, +) / Double(size * blocks)
    // Block estimates of ⟨(x − x̄)²⟩ around the global mean: their spread gives the error.
    let estimates = (0..<blocks).map { b in
        samples[(b * size)..<((b + 1) * size)].reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(size)
    }
    let stats = blockStatistics(estimates, blocks: blocks)
    return (stats.mean, stats.error)
}
