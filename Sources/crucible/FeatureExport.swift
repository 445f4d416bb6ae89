import CrucibleEngine
import CrucibleML
import Foundation

/// The HDF5 layout of `crucible features` (docs/features.md): features of every atom of every frame
/// as one matrix, with the sample and property labels featomic uses (atomic numbers for types, or
/// pseudoelement indices 0…d−1 with a model's pseudoelements).
struct FeatureExport {
    /// A model's learned channels: u[J][a] over its `species`.
    struct Pseudoelements {
        let species: [String]
        let weights: [[Double]]
        let source: String
    }

    let kind: FeatureCalculator.Kind
    let settings: DensitySettings
    let hypersText: String
    let species: [String]?
    var pseudoelements: Pseudoelements? = nil
    let source: String

    func file(for configurations: [Configuration], gradients: Bool, workers: Workers) throws -> ArrayFile {
        // Channels: the listed elements, or every element present, by atomic number (featomic's order).
        var symbols = species ?? Array(Set(configurations.flatMap { $0.speciesTable.elements }))
        for s in symbols where Element(symbol: s) == nil {
            throw InputError(file: source, key: "--species", "unknown element '\(s)'")
        }
        if species == nil { symbols.sort { Element(symbol: $0)!.atomicNumber < Element(symbol: $1)!.atomicNumber } }
        // Channel labels: atomic numbers, or pseudoelement indices.
        let numbers = pseudoelements.map { u in (0..<u.weights.count).map { Int32($0) } } ?? symbols.map { Int32(Element(symbol: $0)!.atomicNumber) }
        var values: [Double] = [], samples: [Int32] = []
        var gradientValues: [Double] = [], gradientSamples: [Int32] = [], strain: [Double] = []
        var featureCount = 0, properties: [[Int]] = []
        for (system, configuration) in configurations.enumerated() {
            let channelOf = configuration.speciesTable.elements.map { symbols.firstIndex(of: $0) }
            var channels = ChannelMap.species(channelOf, count: symbols.count)
            if let u = pseudoelements {
                for (k, element) in configuration.speciesTable.elements.enumerated() where channelOf[k] == nil {
                    throw InputError(file: source, key: "frame \(system + 1)", "holds \(element), which \(u.source) does not list")
                }
                channels = .mixing(u.weights, elementOfSpecies: channelOf)
            }
            let calculator = FeatureCalculator(kind: kind, settings: settings, channels: channels)
            featureCount = calculator.featureCount
            properties = calculator.properties
            let result = calculator.compute(configuration, gradients: gradients, workers: workers)
            let first = samples.count / 3
            for atom in 0..<configuration.count {
                let symbol = configuration.speciesTable.elements[Int(configuration.species[atom])]
                samples += [Int32(system), Int32(atom), Int32(Element(symbol: symbol)!.atomicNumber)]
            }
            values += result.values
            if let g = result.gradients {
                for (center, atom) in g.samples { gradientSamples += [Int32(first + center), Int32(system), Int32(atom)] }
                gradientValues += g.positions
                strain += g.strain
            }
        }
        // Channel indices in the labels become atomic numbers, as in featomic's keys.
        let labelled: [Int32] = properties.flatMap { label -> [Int32] in
            switch kind {
            case .powerSpectrum: return [numbers[label[0]], numbers[label[1]], Int32(label[2]), Int32(label[3]), Int32(label[4])]
            case .sphericalExpansion: return [Int32(label[0]), numbers[label[1]], Int32(label[2]), Int32(label[3])]
            case .radialSpectrum: return [numbers[label[0]], Int32(label[1])]
            case .bispectrum:
                return [Int32(label[0]), Int32(label[1]), Int32(label[2]), numbers[label[3]], Int32(label[4]),
                        numbers[label[5]], Int32(label[6]), numbers[label[7]], Int32(label[8])]
            }
        }
        let propertyNames = switch kind {
        case .powerSpectrum: "neighbor_1_type,neighbor_2_type,l,n_1,n_2"
        case .sphericalExpansion: "o3_lambda,neighbor_type,n,o3_mu"
        case .radialSpectrum: "neighbor_type,n"
        case .bispectrum: "l_1,l_2,l_3,neighbor_1_type,n_1,neighbor_2_type,n_2,neighbor_3_type,n_3"
        }
        let sampleCount = samples.count / 3
        var file = ArrayFile()
        file.attributes = ["kind": kind.rawValue, "hypers": hypersText, "source": source,
                           "creator": "crucible \(CrucibleVersion.string)", "layout": "docs/features.md"]
        if let u = pseudoelements {
            file.attributes["channels"] = "pseudoelements of \(u.source): type labels are pseudoelement indices J, u[J][a] over \(u.species.joined(separator: ","))"
        }
        file.arrays.append(.init("/values", shape: [sampleCount, featureCount], .doubles(values)))
        file.arrays.append(.init("/samples", shape: [sampleCount, 3], .integers(samples), attributes: ["names": "system,atom,center_type"]))
        file.arrays.append(.init("/properties", shape: [properties.count, properties.first?.count ?? 0], .integers(labelled),
                                 attributes: ["names": propertyNames]))
        if gradients {
            let count = gradientSamples.count / 3
            file.arrays.append(.init("/gradients/positions/values", shape: [count, 3, featureCount], .doubles(gradientValues)))
            file.arrays.append(.init("/gradients/positions/samples", shape: [count, 3], .integers(gradientSamples),
                                     attributes: ["names": "sample,system,atom"]))
            file.arrays.append(.init("/gradients/strain/values", shape: [sampleCount, 3, 3, featureCount], .doubles(strain),
                                     attributes: ["definition": "sum over pairs of r_a * d(feature)/d(r_b), r = x_neighbour - x_centre"]))
        }
        return file
    }
}
