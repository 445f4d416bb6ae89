import CrucibleCore
import Foundation

/// Reads and checks a fit file (YAML, the deck's machinery: every problem with file, line and key).
public func loadFitPlan(path: String) throws -> FitPlan {
    let absolute = FileReferences.absolutePath(path, base: FileManager.default.currentDirectoryPath)
    let text = try DeckFile.read(path: path, absolutePath: absolute)
    let composed: ComposedDeck
    switch DeckComposition.compose(text, fileName: path) {
    case .success(let deck): composed = deck
    case .failure(let errors): throw errors
    }
    let context = DeckContext(problems: ProblemLog(fileName: path), renamedKeys: composed.renamedKeys,
                              baseDirectory: (absolute as NSString).deletingLastPathComponent)
    DuplicateKeyReport.report(composed.root, context)
    guard let root = composed.root, let plan = FitSection.decode(DeckValue(node: root, path: .root, keyPosition: nil),
                                                                 fitPath: absolute, context), context.problems.isEmpty else {
        if context.problems.isEmpty { context.report("the fit file is empty; it needs 'data' and 'density'", at: .start, path: nil) }
        throw context.problems.sorted
    }
    return plan
}

enum FitSection {
    static let keys = ["data", "density", "species", "weights", "pseudoelements", "pair", "bispectrum", "network", "baseline", "split", "loss", "regularization", "output", "threads"]
    static let pseudoelementKeys = ["count", "iterations", "learning_rate", "regularization", "force_frames"]
    static let pairKeys = ["radial", "width", "cutoff"]
    static let bispectrumKeys = ["max_angular", "max_radial", "radial_per_angular"]
    static let networkKeys = ["input", "hidden", "epochs", "batch", "learning_rate"]
    static let weightKinds = ["per_element", "shared"]
    static let densityKeys = ["cutoff", "smoothing", "width", "max_angular", "max_radial", "radial_per_angular", "scaling", "center_weight"]
    static let scalingKeys = ["scale", "rate", "exponent"]
    static let splitKeys = ["train", "validation", "seed", "train_frames"]
    static let lossKeys = ["energy", "forces", "stress"]

    static func decode(_ value: DeckValue, fitPath: String, _ context: DeckContext) -> FitPlan? {
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        let data = map.required("data", context, hint: "an extended-XYZ file with energies and forces")
            .flatMap { FileReferences.existingFile($0, context, what: "the training data") }
        let density = map.required("density", context, hint: "cutoff, smoothing, width, max_angular, max_radial")
            .flatMap { decodeDensity($0, context) }
        var species: [String]?? = .some(nil)
        if let given = map.optional("species") {
            species = given.list(context, of: "element symbols").flatMap { items in
                let symbols = items.map { $0.elementSymbol(context) }
                guard symbols.allSatisfy({ $0 != nil }) else { return nil }
                if Set(symbols.compactMap { $0 }).count != symbols.count {
                    context.report("species: an element is listed twice", about: given); return nil
                }
                return .some(symbols.compactMap { $0 })
            }
        }
        let split = map.optional("split").map { MapReader($0, allowed: splitKeys, context: context) } ?? nil
        let train = (split?.optional("train")).read(default: 0.8) { $0.number(context, .positive("")) }
        let validation = (split?.optional("validation")).read(default: 0.1) { $0.number(context, .nonNegative("")) }
        let seed = (split?.optional("seed")).read(default: 1) { $0.integer(context, atLeast: 0).map(UInt64.init) }
        var trainFrames: Int?? = .some(nil)
        if let given = split?.optional("train_frames") { trainFrames = given.integer(context, atLeast: 1).map { .some($0) } }
        if let train, let validation, train + validation > 1 + 1e-12 {
            context.report("split: train + validation must be at most 1 (the rest is the test set), found \(train + validation)", about: value)
        }
        let loss = map.optional("loss").map { MapReader($0, allowed: lossKeys, context: context) } ?? nil
        let energy = (loss?.optional("energy")).read(default: 1) { $0.number(context, .nonNegative("")) }
        let forces = (loss?.optional("forces")).read(default: 0.1) { $0.number(context, .nonNegative("")) }
        let stress = (loss?.optional("stress")).read(default: 1) { $0.number(context, .nonNegative("")) }
        var regularization: [Double]? = [1e-10, 1e-8, 1e-6, 1e-4, 1e-2]
        if let given = map.optional("regularization") {
            regularization = given.list(context, of: "ridge regularisations").flatMap { items in
                let values = items.map { $0.number(context, .positive("")) }
                return values.allSatisfy { $0 != nil } && !values.isEmpty ? values.compactMap { $0 } : nil
            }
        }
        let output = map.optional("output").read(default: FileReferences.absolutePath("model.json", base: context.baseDirectory)) {
            FileReferences.outputFile($0, context, what: "the model file", extensions: [".json"])
        }
        let threads = map.optional("threads").read(default: 1) { $0.integer(context, atLeast: 1) }
        let weights = map.optional("weights").read(default: "per_element") { v -> String? in
            guard let text = v.text(context, what: "per_element or shared") else { return nil }
            guard weightKinds.contains(text) else { context.report("weights must be per_element or shared, found \(v.found)", about: v); return nil }
            return text
        }
        var pseudoelements: FitPlan.Pseudoelements?? = .some(nil)
        if let given = map.optional("pseudoelements") {
            pseudoelements = nil
            if let p = MapReader(given, allowed: pseudoelementKeys, context: context) {
                let count = p.required("count", context, hint: "the number d of pseudoelements, e.g. 4")?.integer(context, atLeast: 1)
                let iterations = p.optional("iterations").read(default: 200) { $0.integer(context, atLeast: 0) }
                let rate = p.optional("learning_rate").read(default: 0.05) { $0.number(context, .positive("")) }
                let lambda = p.optional("regularization").read(default: 1e-6) { $0.number(context, .positive("")) }
                let forceFrames = p.optional("force_frames").read(default: 32) { $0.integer(context, atLeast: 0) }
                if let count, let iterations, let rate, let lambda, let forceFrames {
                    pseudoelements = .some(FitPlan.Pseudoelements(count: count, iterations: iterations, learningRate: rate, regularization: lambda,
                                                                  forceFrames: forceFrames))
                }
            }
        }
        var pairRadial: Int?? = .some(nil), pairWidth: Double?? = .some(nil), pairCutoff: Double?? = .some(nil)
        if let given = map.optional("pair") {
            pairRadial = nil
            if let p = MapReader(given, allowed: pairKeys, context: context),
               let radial = p.required("radial", context, hint: "radial functions of the pair term, e.g. 6")?.integer(context, atLeast: 1) {
                if radial > 16 { context.report("pair.radial: at most 16 radial functions, found \(radial)", about: given) } else { pairRadial = .some(radial) }
                if let w = p.optional("width") {
                    pairWidth = w.number(context, .positive("Å")).flatMap { width -> Double?? in
                        guard width >= 0.05 && width <= 5 else { context.report("pair.width must be 0.05 … 5 Å, found \(width)", about: w); return nil }
                        return .some(width)
                    }
                }
                if let r = p.optional("cutoff") {
                    pairCutoff = r.number(context, .positive("Å")).flatMap { cutoff -> Double?? in
                        guard cutoff >= 0.5 && cutoff <= 30 else { context.report("pair.cutoff must be 0.5 … 30 Å, found \(cutoff)", about: r); return nil }
                        return .some(cutoff)
                    }
                }
            }
        }
        var bispectrum: [Int]?? = .some(nil)
        if let given = map.optional("bispectrum") { bispectrum = decodeBispectrum(given, context).map { .some($0) } }
        var network: FitPlan.Network?? = .some(nil)
        if let given = map.optional("network") {
            network = nil
            if let p = MapReader(given, allowed: networkKeys, context: context) {
                let hidden = p.optional("hidden").read(default: 16) { $0.integer(context, atLeast: 1) }
                let epochs = p.optional("epochs").read(default: 100) { $0.integer(context, atLeast: 1) }
                let batch = p.optional("batch").read(default: 16) { $0.integer(context, atLeast: 1) }
                let rate = p.optional("learning_rate").read(default: 0.002) { $0.number(context, .positive("")) }
                let names = FitPlan.Network.Input.allCases.map(\.rawValue).joined(separator: " or ")
                let input = p.optional("input").read(default: FitPlan.Network.Input.radialSpectrum) { v -> FitPlan.Network.Input? in
                    guard let text = v.text(context, what: names) else { return nil }
                    guard let input = FitPlan.Network.Input(rawValue: text) else { context.report("network.input must be \(names), found \(v.found)", about: v); return nil }
                    return input
                }
                if let hidden, let epochs, let batch, let rate, let input {
                    if hidden > 256 { context.report("network.hidden: at most 256 units, found \(hidden)", about: given) }
                    else { network = .some(FitPlan.Network(input: input, hidden: hidden, epochs: epochs, batchFrames: batch, learningRate: rate)) }
                }
            }
            if case .some(.some(let n)) = network, n.input == .radialSpectrum, pairRadial == .some(nil) {
                context.report("network: the network reads the pair term's radial spectrum; add pair: {radial: N} or set input: power_spectrum", about: given)
                network = nil
            }
        }
        var baseline: BaselineBlock?? = .some(nil)
        if let given = map.optional("baseline") { baseline = BaselineBlock.decode(given, context).map { .some($0) } }
        guard let data, let density, let species, let train, let validation, let seed, let trainFrames, let energy, let forces, let stress,
              let regularization, let output, let threads, let weights, let pseudoelements, let pairRadial, let pairWidth, let pairCutoff, let bispectrum, let network, let baseline else { return nil }
        if energy == 0 && forces == 0 { context.report("loss: energy and forces weights are both 0", about: value); return nil }
        if energy == 0 && pseudoelements != nil {
            context.report("pseudoelements are chosen by the validation energy error: loss.energy must be positive", about: value); return nil
        }
        var plan = FitPlan(fitPath: fitPath, data: data, density: density, species: species, trainFraction: train,
                       validationFraction: validation, seed: seed, trainFrames: trainFrames, energyWeight: energy, forceWeight: forces, stressWeight: stress,
                       regularizations: regularization, sharedWeights: weights == "shared", pseudoelements: pseudoelements,
                       pairRadial: pairRadial, pairWidth: pairWidth, bispectrumRadial: bispectrum, network: network, baseline: baseline, output: output, threads: threads)
        plan.pairCutoff = pairCutoff
        if let pairCutoff, pairCutoff <= density.smoothing {
            context.report("pair.cutoff (\(pairCutoff) Å) must exceed the density's smoothing width (\(density.smoothing) Å)", about: value); return nil
        }
        return plan
    }

    /// The bispectrum term's radial functions per l: max_angular and max_radial (inclusive, as the
    /// density's), or radial_per_angular. Small by default (l ≤ 2, 3 functions): features grow as
    /// the cube of the slots.
    static func decodeBispectrum(_ value: DeckValue, _ context: DeckContext) -> [Int]? {
        guard let map = MapReader(value, allowed: bispectrumKeys, context: context) else { return nil }
        if let given = map.optional("radial_per_angular") {
            return given.list(context, of: "radial function counts").flatMap { items in
                let counts = items.map { $0.integer(context, atLeast: 1) }
                guard counts.allSatisfy({ $0 != nil }), (1...7).contains(counts.count), counts.allSatisfy({ $0! <= 8 }) else {
                    context.report("bispectrum.radial_per_angular: 1 to 7 counts (l = 0 … 6), each 1…8", about: given)
                    return nil
                }
                return counts.compactMap { $0 }
            }
        }
        let maxAngular = map.optional("max_angular").read(default: 2) { $0.integer(context, atLeast: 0) }
        let maxRadial = map.optional("max_radial").read(default: 2) { $0.integer(context, atLeast: 0) }
        guard let maxAngular, let maxRadial else { return nil }
        if maxAngular > 6 || maxRadial > 7 { context.report("bispectrum: max_angular ≤ 6 and max_radial ≤ 7", about: value); return nil }
        return [Int](repeating: maxRadial + 1, count: maxAngular + 1)
    }

    static func decodeDensity(_ value: DeckValue, _ context: DeckContext) -> FitPlan.Density? {
        guard let map = MapReader(value, allowed: densityKeys, context: context) else { return nil }
        let cutoff = map.required("cutoff", context, hint: "Å, e.g. 5")?.number(context, .positive("Å"))
        let smoothing = map.optional("smoothing").read(default: 0.5) { $0.number(context, .positive("Å")) }
        let width = map.optional("width").read(default: 0.3) { $0.number(context, .positive("Å")) }
        let maxAngular = map.optional("max_angular").read(default: 4) { $0.integer(context, atLeast: 0) }
        let maxRadial = map.optional("max_radial").read(default: 5) { $0.integer(context, atLeast: 0) }
        let centerWeight = map.optional("center_weight").read(default: 1) { $0.number(context, .anyValue("")) }
        var scaling: [Double]?? = .some(nil)
        if let given = map.optional("scaling"), let s = MapReader(given, allowed: scalingKeys, context: context) {
            let values = [s.required("scale", context)?.number(context, .positive("Å")),
                          s.required("rate", context)?.number(context, .nonNegative("")),
                          s.required("exponent", context)?.number(context, .nonNegative(""))]
            scaling = values.allSatisfy { $0 != nil } ? .some(values.compactMap { $0 }) : nil
        }
        var perAngular: [Int]?? = .some(nil)
        if let given = map.optional("radial_per_angular") {
            perAngular = given.list(context, of: "radial function counts").flatMap { items in
                let counts = items.map { $0.integer(context, atLeast: 1) }
                guard counts.allSatisfy({ $0 != nil }), !counts.isEmpty, counts.count <= 16, counts.allSatisfy({ $0! <= 16 }) else {
                    context.report("radial_per_angular: 1 to 16 counts (l = 0, 1, …), each 1…16", about: given)
                    return nil
                }
                return .some(counts.compactMap { $0 })
            }
        }
        guard let cutoff, let smoothing, let width, let maxAngular, let maxRadial, let centerWeight, let scaling, let perAngular else { return nil }
        if smoothing > cutoff { context.report("smoothing (\(smoothing) Å) must not exceed the cutoff (\(cutoff) Å)", about: value); return nil }
        if maxAngular > 15 || maxRadial > 15 { context.report("max_angular ≤ 15 and max_radial ≤ 15 (more GTOs are numerically linearly dependent)", about: value); return nil }
        if cutoff < 0.5 || cutoff > 30 || width < 0.05 || width > 5 {
            context.report("cutoff must be 0.5 … 30 Å and width 0.05 … 5 Å (found \(cutoff), \(width))", about: value); return nil
        }
        return FitPlan.Density(cutoff: cutoff, smoothing: smoothing, width: width, maxAngular: maxAngular, maxRadial: maxRadial,
                               radialPerAngular: perAngular, scaling: scaling, centerWeight: centerWeight)
    }
}
