import CrucibleCore
import Foundation

extension DensitySettings {
    /// Settings from featomic 0.6's hyperparameters (the JSON a user passes to `SphericalExpansion` /
    /// `SoapPowerSpectrum`), with every unsupported or missing key named in the error.
    public init(featomicJSON data: Data, file: String) throws {
        func fail(_ key: String, _ message: String) -> InputError { InputError(file: file, key: key, message) }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw fail("", "not a JSON object of featomic hyperparameters")
        }
        func object(_ parent: [String: Any], _ key: String, _ path: String) throws -> [String: Any] {
            guard let value = parent[key] else { throw fail(path, "missing") }
            guard let dict = value as? [String: Any] else { throw fail(path, "must be an object") }
            return dict
        }
        func number(_ parent: [String: Any], _ key: String, _ path: String, default fallback: Double? = nil) throws -> Double {
            guard let value = parent[key] else {
                if let fallback { return fallback }
                throw fail(path, "missing")
            }
            guard let n = value as? NSNumber else { throw fail(path, "must be a number") }
            return n.doubleValue
        }
        func integer(_ parent: [String: Any], _ key: String, _ path: String) throws -> Int {
            let v = try number(parent, key, path)
            guard v == v.rounded(), v >= 0, v < 1000 else { throw fail(path, "must be a non-negative integer") }
            return Int(v)
        }
        func type(_ parent: [String: Any], _ path: String, _ allowed: [String]) throws -> String {
            guard let t = parent["type"] as? String else { throw fail(path + ".type", "missing") }
            guard allowed.contains(t) else {
                throw fail(path + ".type", "'\(t)' is not supported (supported: \(allowed.joined(separator: ", ")))")
            }
            return t
        }
        let cutoff = try object(root, "cutoff", "cutoff")
        let radius = try number(cutoff, "radius", "cutoff.radius")
        let smoothing = try object(cutoff, "smoothing", "cutoff.smoothing")
        _ = try type(smoothing, "cutoff.smoothing", ["ShiftedCosine"])
        let width = try number(smoothing, "width", "cutoff.smoothing.width")
        let density = try object(root, "density", "density")
        _ = try type(density, "density", ["Gaussian"])
        let sigma = try number(density, "width", "density.width")
        let centerWeight = try number(density, "center_atom_weight", "density.center_atom_weight", default: 1)
        var scaling: RadialScaling? = nil
        if density["scaling"] != nil, !(density["scaling"] is NSNull) {
            let s = try object(density, "scaling", "density.scaling")
            _ = try type(s, "density.scaling", ["Willatt2018"])
            scaling = RadialScaling(scale: try number(s, "scale", "density.scaling.scale"),
                                    rate: try number(s, "rate", "density.scaling.rate"),
                                    exponent: try number(s, "exponent", "density.scaling.exponent"))
        }
        let basis = try object(root, "basis", "basis")
        // featomic's SoapRadialSpectrum takes a basis of radial functions alone (no type, no max_angular): l = 0.
        let radialOnly = basis["type"] == nil && basis["max_angular"] == nil
        if !radialOnly { _ = try type(basis, "basis", ["TensorProduct"]) }
        let maxAngular = radialOnly ? 0 : try integer(basis, "max_angular", "basis.max_angular")
        let radial = try object(basis, "radial", "basis.radial")
        _ = try type(radial, "basis.radial", ["Gto"])
        let maxRadial = try integer(radial, "max_radial", "basis.radial.max_radial")
        if let r = radial["radius"] as? NSNumber, r.doubleValue != radius {
            throw fail("basis.radial.radius", "only the cutoff radius is supported (got \(r.doubleValue), cutoff \(radius))")
        }
        let known: [String: Set<String>] = ["": ["cutoff", "density", "basis"], "cutoff": ["radius", "smoothing"],
                                            "cutoff.smoothing": ["type", "width"],
                                            "density.scaling": ["type", "scale", "rate", "exponent"],
                                            "density": ["type", "width", "center_atom_weight", "scaling"],
                                            "basis": ["type", "max_angular", "radial", "spline_accuracy"],
                                            "basis.radial": ["type", "max_radial", "radius"]]
        var objects: [(String, [String: Any])] = [("", root), ("cutoff", cutoff), ("cutoff.smoothing", smoothing), ("density", density),
                                                  ("basis", basis), ("basis.radial", radial)]
        if let s = density["scaling"] as? [String: Any] { objects.append(("density.scaling", s)) }
        for (path, dict) in objects {
            for key in dict.keys where !known[path]!.contains(key) {
                throw fail(path.isEmpty ? key : "\(path).\(key)", "unknown or unsupported key")
            }
        }
        self.init(cutoff: radius, smoothingWidth: width, gaussianWidth: sigma, maxAngular: maxAngular, maxRadial: maxRadial,
                  radialScaling: scaling, centerWeight: centerWeight)
        if let problem = problems.first { throw fail("cutoff, density, basis", problem) }
    }
}
