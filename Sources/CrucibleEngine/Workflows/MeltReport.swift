import Foundation

/// The result of the melting workflow: Δμ(T) per temperature, the fitted line and T_m ± σ, as a
/// table (CSV), an SVG plot and the closing lines on the terminal.
struct MeltReport {
    struct Point {
        var temperature: Double             // K
        var cell: [Double]                  // Å, the crystal's mean edge lengths at (T, p)
        var solidQ: Double                  // Q_s(T)
        var center: Double                  // a(T), the bias centre
        var meanQ: Double, errorQ: Double   // ⟨Q⟩ of the pinned slab and its block error
        var deltaMu: Double, deltaMuError: Double  // eV/atom, μ_liquid − μ_solid
        var samples: Int
        /// Smallest and largest block mean of the solid fraction (Q − Q_l)/(Q_s − Q_l).
        var solidFraction: (min: Double, max: Double)

        /// The interface survived when every block kept between 10% and 90% of the slab solid.
        var interfaceSurvived: Bool { solidFraction.min > 0.1 && solidFraction.max < 0.9 }
        /// Enough production samples for an error bar (one per block at least).
        var hasErrorBar: Bool { deltaMuError.isFinite && deltaMuError > 0 }
        var fitted: Bool { interfaceSurvived && hasErrorBar }
    }

    var points: [Point]
    var kappa: Double, solidFraction: Double, liquidQ: Double
    var atoms: Int, production: Int, timestep: Double
    var vectors: [[Int]]

    /// The fit through the temperatures whose interface survived.
    var fit: InterfacePinning.LineFit? {
        let kept = points.filter(\.fitted)
        return InterfacePinning.fitLine(x: kept.map(\.temperature), y: kept.map(\.deltaMu), sigma: kept.map(\.deltaMuError))
    }

    var lines: [String] {
        var lines = ["melt: interface pinning, \(atoms) atoms, κ = \(kappa) eV, a = Q_l + \(solidFraction) (Q_s − Q_l), Q_l = \(String(format: "%.5f", liquidQ)), production \(production) steps (\(String(format: "%g", Double(production) * timestep)) ps) per temperature"]
        lines.append("      T [K]    Q_s      a         <Q>        σ(Q)       Δμ [meV/atom]   solid fraction (blocks)")
        for p in points {
            lines.append(String(format: "  %9.2f  %.5f  %.5f  %.6f  %.6f  %8.3f ± %.3f   %.2f–%.2f%@", p.temperature, p.solidQ, p.center, p.meanQ, p.errorQ,
                                1000 * p.deltaMu, 1000 * p.deltaMuError, p.solidFraction.min, p.solidFraction.max,
                                p.interfaceSurvived ? (p.hasErrorBar ? "" : "  too few samples for an error bar: left out of the fit")
                                    : "  interface lost: left out of the fit"))
        }
        let lost = points.filter { !$0.interfaceSurvived }.map { String(format: "%g K", $0.temperature) }
        if !lost.isEmpty {
            lines.append("warning: the slab melted or froze (a block left the 10–90% solid range) at \(lost.joined(separator: ", ")); raise kappa or move those temperatures closer to T_m")
        }
        if let fit, fit.slope < 0 {
            let latent = -fit.slope * fit.root
            lines.append(String(format: "melt: T_m = %.1f ± %.1f K (Δμ = 0 of the weighted line through %d temperatures; ± %.1f K from the error bars, × %.2f = √(χ²/dof) for their scatter); latent heat from the slope %.4f eV/atom",
                                fit.root, fit.quotedRootError, fit.degreesOfFreedom + 2, fit.rootError, fit.scatterFactor, latent))
        } else {
            lines.append("warning: no melting point: fewer than two temperatures kept an interface with an error bar, or Δμ does not fall with T")
        }
        return lines
    }

    func write(to directory: String) throws {
        var csv = "temperature [K],lx [A],ly [A],lz [A],Q_s,a,Q_mean,Q_error,delta_mu [eV/atom],delta_mu_error [eV/atom],samples,solid_fraction_min,solid_fraction_max,interface\n"
        for p in points {
            csv += "\(p.temperature),\(p.cell[0]),\(p.cell[1]),\(p.cell[2]),\(p.solidQ),\(p.center),\(p.meanQ),\(p.errorQ),\(p.deltaMu),\(p.deltaMuError),\(p.samples),\(p.solidFraction.min),\(p.solidFraction.max),\(p.interfaceSurvived ? "kept" : "lost")\n"
        }
        if let fit {
            csv += "# fit: delta_mu = \(fit.intercept) + \(fit.slope) T; T_m = \(fit.root) +- \(fit.quotedRootError) K (error bars alone: \(fit.rootError) K; chi2 \(fit.chiSquare), dof \(fit.degreesOfFreedom))\n"
        }
        try TextFile.writeAtomically(csv, to: directory + "/delta_mu.csv")
        try TextFile.writeAtomically(svg, to: directory + "/delta_mu.svg")
        try TextFile.writeAtomically(lines.joined(separator: "\n") + "\n", to: directory + "/summary.txt")
    }

    /// Δμ(T) with error bars, the fitted line and T_m, as a standalone SVG.
    var svg: String {
        let width = 640.0, height = 420.0, left = 80.0, right = 20.0, top = 30.0, bottom = 60.0
        let ts = points.map(\.temperature)
        var tLow = ts.min() ?? 0, tHigh = ts.max() ?? 1
        if let fit, fit.slope < 0, fit.root.isFinite { tLow = min(tLow, fit.root); tHigh = max(tHigh, fit.root) }
        let pad = max(1, 0.08 * (tHigh - tLow)); tLow -= pad; tHigh += pad
        let ys = points.flatMap { [1000 * ($0.deltaMu - $0.deltaMuError), 1000 * ($0.deltaMu + $0.deltaMuError)] }.filter(\.isFinite) + [0]
        var yLow = ys.min() ?? -1, yHigh = ys.max() ?? 1
        let ypad = max(0.1, 0.1 * (yHigh - yLow)); yLow -= ypad; yHigh += ypad
        func x(_ t: Double) -> Double { left + (t - tLow) / (tHigh - tLow) * (width - left - right) }
        func y(_ v: Double) -> Double { top + (yHigh - v) / (yHigh - yLow) * (height - top - bottom) }
        func f(_ v: Double) -> String { String(format: "%.2f", v) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"13\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<line x1=\"\(f(left))\" y1=\"\(f(height - bottom))\" x2=\"\(f(width - right))\" y2=\"\(f(height - bottom))\" stroke=\"black\"/>\n"
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(height - bottom))\" stroke=\"black\"/>\n"
        s += "<line x1=\"\(f(left))\" y1=\"\(f(y(0)))\" x2=\"\(f(width - right))\" y2=\"\(f(y(0)))\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n"
        for k in 0...4 {
            let t = tLow + Double(k) / 4 * (tHigh - tLow), v = yLow + Double(k) / 4 * (yHigh - yLow)
            s += "<text x=\"\(f(x(t)))\" y=\"\(f(height - bottom + 18))\" text-anchor=\"middle\">\(String(format: "%.0f", t))</text>\n"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(String(format: "%.2f", v))</text>\n"
        }
        s += "<text x=\"\(f((left + width - right) / 2))\" y=\"\(f(height - 15))\" text-anchor=\"middle\">T (K)</text>\n"
        s += "<text transform=\"translate(18 \(f((top + height - bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">Δμ = μ_liquid − μ_solid (meV/atom)</text>\n"
        if let fit {
            s += "<line x1=\"\(f(x(tLow)))\" y1=\"\(f(y(1000 * (fit.intercept + fit.slope * tLow))))\" x2=\"\(f(x(tHigh)))\" y2=\"\(f(y(1000 * (fit.intercept + fit.slope * tHigh))))\" stroke=\"#1f77b4\"/>\n"
            if fit.slope < 0, fit.root.isFinite {
                s += "<circle cx=\"\(f(x(fit.root)))\" cy=\"\(f(y(0)))\" r=\"4\" fill=\"none\" stroke=\"#d62728\"/>\n"
                s += "<text x=\"\(f(x(fit.root) + 8))\" y=\"\(f(y(0) - 8))\" fill=\"#d62728\">T_m = \(String(format: "%.1f ± %.1f K", fit.root, fit.quotedRootError))</text>\n"
            }
        }
        for p in points {
            let color = p.fitted ? "black" : "#aaa"
            s += "<line x1=\"\(f(x(p.temperature)))\" y1=\"\(f(y(1000 * (p.deltaMu - p.deltaMuError))))\" x2=\"\(f(x(p.temperature)))\" y2=\"\(f(y(1000 * (p.deltaMu + p.deltaMuError))))\" stroke=\"\(color)\"/>\n"
            s += "<circle cx=\"\(f(x(p.temperature)))\" cy=\"\(f(y(1000 * p.deltaMu)))\" r=\"3.5\" fill=\"\(color)\"/>\n"
        }
        return s + "</svg>\n"
    }
}
