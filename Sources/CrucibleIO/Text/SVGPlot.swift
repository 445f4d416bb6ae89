import Foundation

/// A small standalone SVG x–y plot (scatter or lines, labels, legend, optional y = x diagonal and
/// log y axis): what `crucible fit` draws its parity plots, learning curves and pseudoelement map with.
public struct SVGPlot {
    public enum Style: Sendable { case points, line }
    public struct Series {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var style: Style
        public var color: String
        public init(name: String, points: [(x: Double, y: Double)], style: Style, color: String) {
            self.name = name; self.points = points; self.style = style; self.color = color
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series] = []
    /// Text placed at data coordinates (e.g. element symbols).
    public var labels: [(x: Double, y: Double, text: String)] = []
    /// Draw y = x and use the same range on both axes (parity plots).
    public var diagonal = false
    public var logY = false

    public init(title: String, xLabel: String, yLabel: String) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
    }

    public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]

    public var svg: String {
        // The legend sits under the x axis, one line per series.
        let legend = 16.0 * Double(series.count)
        let width = 560.0, height = 460.0 + legend, left = 80.0, right = 24.0, top = 36.0, bottom = 60.0 + legend
        // On a log axis, values ≤ 0 (e.g. a zero force error when there are no forces) are left out.
        func ty(_ v: Double) -> Double { logY ? (v > 0 ? log10(v) : .nan) : v }
        let all = series.flatMap(\.points).map { ($0.x, ty($0.y)) } + labels.map { ($0.x, ty($0.y)) }
        let finite = all.filter { $0.0.isFinite && $0.1.isFinite }
        var xLow = finite.map(\.0).min() ?? 0, xHigh = finite.map(\.0).max() ?? 1
        var yLow = finite.map(\.1).min() ?? 0, yHigh = finite.map(\.1).max() ?? 1
        if diagonal { xLow = min(xLow, yLow); yLow = xLow; xHigh = max(xHigh, yHigh); yHigh = xHigh }
        let xPad = max(1e-9, 0.05 * (xHigh - xLow)), yPad = max(1e-9, 0.05 * (yHigh - yLow))
        xLow -= xPad; xHigh += xPad; yLow -= yPad; yHigh += yPad
        func x(_ v: Double) -> Double { left + (v - xLow) / (xHigh - xLow) * (width - left - right) }
        func y(_ v: Double) -> Double { top + (yHigh - ty(v)) / (yHigh - yLow) * (height - top - bottom) }
        func f(_ v: Double) -> String { String(format: "%.2f", v) }
        func tick(_ v: Double) -> String { abs(v) >= 1000 || (abs(v) < 0.01 && v != 0) ? String(format: "%.2g", v) : String(format: "%.3g", v) }
        func escaped(_ t: String) -> String {
            t.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"13\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"\(f(width / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"15\">\(escaped(title))</text>\n"
        s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width - left - right))\" height=\"\(f(height - top - bottom))\" fill=\"none\" stroke=\"black\"/>\n"
        for k in 0...4 {
            let xv = xLow + Double(k) / 4 * (xHigh - xLow), yv = yLow + Double(k) / 4 * (yHigh - yLow)
            let yText = logY ? String(format: "%.2g", pow(10, yv)) : tick(yv)
            s += "<text x=\"\(f(x(xv)))\" y=\"\(f(height - bottom + 18))\" text-anchor=\"middle\">\(tick(xv))</text>\n"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(top + (yHigh - yv) / (yHigh - yLow) * (height - top - bottom) + 4))\" text-anchor=\"end\">\(yText)</text>\n"
        }
        s += "<text x=\"\(f((left + width - right) / 2))\" y=\"\(f(height - bottom + 40))\" text-anchor=\"middle\">\(escaped(xLabel))</text>\n"
        s += "<text transform=\"translate(18 \(f((top + height - bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(escaped(yLabel))</text>\n"
        if diagonal {
            s += "<line x1=\"\(f(x(xLow)))\" y1=\"\(f(top + (yHigh - xLow) / (yHigh - yLow) * (height - top - bottom)))\" x2=\"\(f(x(xHigh)))\" y2=\"\(f(top + (yHigh - xHigh) / (yHigh - yLow) * (height - top - bottom)))\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n"
        }
        for (k, one) in series.enumerated() {
            let points = one.points.filter { $0.x.isFinite && ty($0.y).isFinite }
            switch one.style {
            case .points:
                for p in points { s += "<circle cx=\"\(f(x(p.x)))\" cy=\"\(f(y(p.y)))\" r=\"2\" fill=\"\(one.color)\" fill-opacity=\"0.6\"/>\n" }
            case .line:
                s += "<polyline fill=\"none\" stroke=\"\(one.color)\" stroke-width=\"1.5\" points=\"" + points.map { "\(f(x($0.x))),\(f(y($0.y)))" }.joined(separator: " ") + "\"/>\n"
            }
            s += "<text x=\"\(f(left))\" y=\"\(f(height - legend + 12 + 16 * Double(k)))\" fill=\"\(one.color)\">\(escaped(one.name))</text>\n"
        }
        for label in labels where label.x.isFinite && ty(label.y).isFinite {
            s += "<circle cx=\"\(f(x(label.x)))\" cy=\"\(f(y(label.y)))\" r=\"3\" fill=\"black\"/>\n"
            s += "<text x=\"\(f(x(label.x) + 5))\" y=\"\(f(y(label.y) - 5))\">\(escaped(label.text))</text>\n"
        }
        return s + "</svg>\n"
    }
}
