import CrucibleEngine
import CrucibleML
import Foundation

/// The `ml` potential term as the plugin registry builds it: the model, plus its baseline when the
/// model file names one (running the model runs both).
enum MLTerm {
    static func potential(modelPath: String, speciesTable: SpeciesTable) throws -> any Potential {
        let file = try ModelFile.read(modelPath)
        let model = try MLPlugin.potential(file: file, modelPath: modelPath, speciesTable: speciesTable)
        guard let baseline = file.model.baseline else { return model }
        let folder = (modelPath as NSString).deletingLastPathComponent
        let directory = URL(fileURLWithPath: folder).appendingPathComponent(baseline.directory).standardizedFileURL.path
        let base = try BaselinePotential.build(text: baseline.potential, directory: directory, file: modelPath, speciesTable: speciesTable)
        return PotentialSum([base, model])
    }
}
