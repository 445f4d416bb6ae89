import CrucibleEngine
import CrucibleML
import Foundation

/// The SVGs `crucible fit` writes beside the model: parity plots of one split, learning curves of
/// the iterative steps, and the elements in pseudoelement space.
enum FitPlots {
    /// `stem`_energy_parity.svg and `stem`_force_parity.svg of `errors` (the named split).
    static func parity(_ errors: FitErrors, split: String, stem: String) throws -> [String] {
        var energy = SVGPlot(title: "Energy per atom, \(split) set (\(errors.frames) frames)", xLabel: "reference (eV/atom)", yLabel: "model (eV/atom)")
        energy.series = [.init(name: String(format: "MAE %.1f meV/atom", 1000 * errors.energyMAE),
                               points: errors.energyPairs.map { ($0.reference, $0.model) }, style: .points, color: SVGPlot.palette[0])]
        energy.diagonal = true
        var forces = SVGPlot(title: "Force components, \(split) set", xLabel: "reference (eV/Å)", yLabel: "model (eV/Å)")
        forces.series = [.init(name: String(format: "MAE %.0f meV/Å (%d of %d components shown)", 1000 * errors.forceMAE, errors.forcePairs.count, errors.forceComponents),
                               points: errors.forcePairs.map { ($0.reference, $0.model) }, style: .points, color: SVGPlot.palette[1])]
        forces.diagonal = true
        var written: [String] = []
        for (name, plot) in [("energy_parity", energy), ("force_parity", forces)] where name == "energy_parity" || errors.forceComponents > 0 {
            let path = "\(stem)_\(name).svg"
            try plot.svg.write(toFile: path, atomically: true, encoding: .utf8)
            written.append(path)
        }
        return written
    }

    /// A learning curve: RMSE per iteration of each named series (meV, log scale).
    static func learningCurve(_ curves: [(name: String, values: [Double])], title: String, xLabel: String, yLabel: String, path: String) throws {
        var plot = SVGPlot(title: title, xLabel: xLabel, yLabel: yLabel)
        plot.logY = true
        plot.series = curves.enumerated().map { k, c in
            .init(name: c.name, points: c.values.enumerated().map { (Double($0.offset), 1000 * $0.element) }, style: .line,
                  color: SVGPlot.palette[k % SVGPlot.palette.count])
        }
        try plot.svg.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Each element at its weights on the first two pseudoelements (one: on a line).
    static func pseudoelementMap(_ u: [[Double]], species: [String], path: String) throws {
        var plot = SVGPlot(title: "Elements in pseudoelement space (u of the first two of \(u.count))",
                           xLabel: "weight on pseudoelement 1", yLabel: u.count > 1 ? "weight on pseudoelement 2" : "")
        plot.labels = species.indices.map { a in (u[0][a], u.count > 1 ? u[1][a] : 0, species[a]) }
        try plot.svg.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
