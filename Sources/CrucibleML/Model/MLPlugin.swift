import CrucibleCore

/// The `ml` potential term: what the command line registers with the engine's plugin registry.
public enum MLPlugin {
    public static let keyword = "ml"

    /// Builds the potential of `potential: {ml: {model: FILE}}` for a configuration's species.
    public static func potential(modelPath: String, speciesTable: SpeciesTable) throws -> any Potential {
        try potential(file: try ModelFile.read(modelPath), modelPath: modelPath, speciesTable: speciesTable)
    }

    /// The model of an already read file (its baseline, if any, is the caller's to add).
    public static func potential(file: ModelFile, modelPath: String, speciesTable: SpeciesTable) throws -> any Potential {
        let name = "ml " + (modelPath.split(separator: "/").last.map(String.init) ?? modelPath)
        do {
            return try MLPotential(model: file.model, speciesTable: speciesTable, name: name)
        } catch var error as InputError {
            error.file = modelPath
            throw error
        }
    }
}
