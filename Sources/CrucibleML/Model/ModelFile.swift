import CrucibleCore
import Foundation

/// The model file `crucible fit` writes and `potential: {ml: {model: FILE}}` reads: versioned,
/// self-describing JSON (docs/potential-ml.md, "Model file"). Validated on load like a deck: every problem names the
/// file and the field, never a crash.
public struct ModelFile: Codable, Sendable, Equatable {
    public static let formatName = "crucible-ml-model"
    /// 2: pair terms with a cutoff of their own, the bispectrum term, the network's input and second
    /// layer (a reader of version 1 would ignore those fields and run a different model).
    public static let currentVersion = 2
    /// Versions this reader understands (a version-1 file has none of version 2's fields).
    public static let readableVersions = [1, 2]

    public var format = ModelFile.formatName
    public var version = ModelFile.currentVersion
    /// Units of every number in the file.
    public var units = "eV, Angstrom"
    public var model: MLModel
    /// How the model was made: data, hash, split, regularisation, errors (free-form, for people).
    public var training: [String: String]

    public init(model: MLModel, training: [String: String] = [:]) {
        self.model = model
        self.training = training
    }

    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self)
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw InputError(file: path, "cannot write the model: \(error.localizedDescription)")
        }
    }

    public static func read(_ path: String) throws -> ModelFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot read the model file")
        }
        let file: ModelFile
        do {
            file = try JSONDecoder().decode(ModelFile.self, from: data)
        } catch let error as DecodingError {
            throw InputError(file: path, key: Self.key(of: error), Self.message(of: error))
        } catch {
            throw InputError(file: path, "not a model file: \(error.localizedDescription)")
        }
        if let problem = file.problems.first { throw InputError(file: path, key: problem.key, problem.message) }
        return file
    }

    /// Shape and value problems a decoder cannot see.
    var problems: [(key: String, message: String)] {
        var found: [(String, String)] = []
        if format != Self.formatName { found.append(("format", "expected '\(Self.formatName)', found '\(format)'")) }
        if !Self.readableVersions.contains(version) {
            found.append(("version", "this crucible reads versions \(Self.readableVersions.map(String.init).joined(separator: " and ")), the file is version \(version)"))
        }
        let m = model
        for problem in m.settings.problems { found.append(("model.settings", problem)) }
        if m.species.isEmpty { found.append(("model.species", "no elements")) }
        for s in m.species where Element(symbol: s) == nil { found.append(("model.species", "unknown element '\(s)'")) }
        if Set(m.species).count != m.species.count { found.append(("model.species", "an element is listed twice")) }
        if m.offsets.count != m.species.count {
            found.append(("model.offsets", "\(m.offsets.count) offsets for \(m.species.count) elements"))
        }
        if let u = m.pseudoelements {
            if u.isEmpty || u.contains(where: { $0.count != m.species.count }) {
                found.append(("model.pseudoelements", "expected d rows of \(m.species.count) weights (one per element)"))
            }
        }
        // Power-spectrum features per atom (the linear weights' and a power-spectrum network's inputs).
        let channels = m.channelCount
        let features = channels * (channels + 1) / 2 * m.settings.radialCounts.reduce(0) { $0 + $1 * $1 }
        if found.isEmpty {
            if m.weights.count != m.species.count || m.weights.contains(where: { $0.count != features }) {
                found.append(("model.weights", "expected \(m.species.count) rows of \(features) weights (one row per element, one weight per power-spectrum feature)"))
            }
        }
        if let pair = m.pair {
            if !(1...16).contains(pair.radialCount) { found.append(("model.pair.radialCount", "expected 1 to 16 radial functions, found \(pair.radialCount)")) }
            if let w = pair.gaussianWidth, !(w >= 0.05 && w <= 5) { found.append(("model.pair.gaussianWidth", "expected 0.05 … 5 Å, found \(w)")) }
            if let r = pair.cutoff, !(r > m.settings.smoothingWidth && r <= 30) {
                found.append(("model.pair.cutoff", "expected more than the smoothing width (\(m.settings.smoothingWidth) Å) and at most 30 Å, found \(r)"))
            }
            let width = m.species.count * pair.radialCount
            if pair.weights.count != m.species.count || pair.weights.contains(where: { $0.count != width }) {
                found.append(("model.pair.weights", "expected \(m.species.count) rows of \(width) weights (elements × radial functions)"))
            }
        }
        if let term = m.bispectrum {
            if term.radialCounts.isEmpty || term.radialCounts.count > 7 || term.radialCounts.contains(where: { !(1...8).contains($0) }) {
                found.append(("model.bispectrum.radialCounts", "expected 1 to 7 degrees (l ≤ 6) of 1 to 8 radial functions, found \(term.radialCounts)"))
            } else if found.isEmpty {
                let features = Bispectrum(expansion: SphericalExpansion(settings: MLModel.bispectrumSettings(m.settings, radialCounts: term.radialCounts),
                                                                       channels: .species(Array(0..<m.channelCount)))).featureCount
                if term.weights.count != m.species.count || term.weights.contains(where: { $0.count != features }) {
                    found.append(("model.bispectrum.weights", "expected \(m.species.count) rows of \(features) weights (one row per element, one weight per bispectrum feature)"))
                }
            }
        }
        if let network = m.network {
            switch (network.input, m.pair) {
            case (.radialSpectrum, let pair?):
                if network.inputs != m.species.count * pair.radialCount || network.elements != m.species.count {
                    found.append(("model.network", "inputs must be \(m.species.count * pair.radialCount) (the pair term's radial spectrum) and elements \(m.species.count)"))
                }
            case (.radialSpectrum, nil):
                found.append(("model.network", "the network reads the pair term's radial spectrum: the model needs a pair term"))
            case (.powerSpectrum, _):
                if network.inputs != features || network.elements != m.species.count {
                    found.append(("model.network", "inputs must be \(features) (the power spectrum) and elements \(m.species.count)"))
                }
            }
            for problem in network.problems { found.append(("model.network", problem)) }
        }
        let numbers = m.offsets + m.weights.flatMap { $0 } + (m.pseudoelements?.flatMap { $0 } ?? [])
            + (m.pair?.weights.flatMap { $0 } ?? []) + (m.bispectrum?.weights.flatMap { $0 } ?? []) + (m.network?.allNumbers ?? [])
        if !numbers.allSatisfy(\.isFinite) { found.append(("model", "contains NaN or infinite numbers")) }
        return found
    }

    static func key(of error: DecodingError) -> String {
        let path: [CodingKey]
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): path = c.codingPath
        case .keyNotFound(let k, let c): path = c.codingPath + [k]
        @unknown default: path = []
        }
        return path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    static func message(of error: DecodingError) -> String {
        switch error {
        case .keyNotFound: return "missing"
        case .typeMismatch(let type, _): return "expected \(type)"
        case .valueNotFound(let type, _): return "expected \(type), found null"
        case .dataCorrupted(let c): return c.debugDescription
        @unknown default: return "invalid"
        }
    }
}
