import ArgumentParser
import CrucibleEngine
import CrucibleML
import Foundation

/// `crucible features`: per-atom descriptors of every frame of an extended-XYZ file, with featomic's
/// hyperparameters and layout, written to a plain HDF5 file (docs/features.md).
struct Features: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Per-atom density features (spherical expansion, radial spectrum, power spectrum or bispectrum) of extended-XYZ frames, as featomic computes them.",
        discussion: "Hyperparameters are featomic 0.6's JSON (cutoff, density, basis). Output layout: docs/features.md.")
    @Argument(help: "Input frames (extended XYZ).") var input: String
    @Option(help: "featomic hyperparameters (JSON file).") var hypers: String
    @Option(help: "power-spectrum (ν = 2), bispectrum (ν = 3), radial-spectrum (ν = 1) or spherical-expansion.") var kind: String = "power-spectrum"
    @Option(help: "Density channels, comma-separated element symbols (default: every element of the input, by atomic number).") var species: String?
    @Option(help: "Compress the channels into a model file's learned pseudoelements (its u; the hypers still come from --hypers).") var pseudoelements: String?
    @Flag(help: "Also write position and strain gradients.") var gradients = false
    @Option(name: .shortAndLong, help: "Output file (HDF5).") var output: String = "features.h5"
    @Option(help: "Worker threads.") var threads: Int = 1

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if species != nil && pseudoelements != nil { throw ValidationError("--species and --pseudoelements exclude each other: the model lists the elements") }
        if FeatureCalculator.Kind(rawValue: kind) == nil {
            throw ValidationError("--kind must be one of: \(FeatureCalculator.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: hypers))
            let settings = try DensitySettings(featomicJSON: data, file: hypers)
            let frames = try readExtXYZ(path: input)
            let configurations = try frames.map { try Configuration(frame: $0, file: input) }
            var mixing: FeatureExport.Pseudoelements? = nil
            if let pseudoelements {
                let model = try ModelFile.read(pseudoelements).model
                guard let u = model.pseudoelements else {
                    throw InputError(file: pseudoelements, key: "model.pseudoelements", "this model has one channel per element, no pseudoelements")
                }
                mixing = .init(species: model.species, weights: u, source: pseudoelements)
            }
            let file = try FeatureExport(kind: FeatureCalculator.Kind(rawValue: kind)!, settings: settings, hypersText: String(decoding: data, as: UTF8.self),
                                         species: mixing?.species ?? species?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
                                         pseudoelements: mixing, source: input).file(for: configurations, gradients: gradients, workers: Workers(threads: threads))
            try file.write(to: output)
            print("wrote \(output): \(configurations.count) frames, \(configurations.reduce(0) { $0 + $1.count }) atoms")
        } catch {
            throw fail(error)
        }
    }
}
