/// Potential terms of plugin modules: the keys each keyword takes. A new plugin is one line here
/// plus its builder registered in the engine's `PotentialPlugins`.
enum PluginSection {
    /// `ml` (CrucibleML): a model file from `crucible fit` (docs/potential-ml.md).
    static let mlKeys = ["model"]
    /// keyword → keys naming files (all required).
    static let schemas: [String: [String]] = ["ml": mlKeys]

    static func decode(_ keyword: String, _ value: DeckValue, _ context: DeckContext) -> PluginTermPlan? {
        let keys = schemas[keyword]!
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        var files: [String: String] = [:]
        for key in keys {
            guard let given = map.required(key, context, hint: "a file path, relative to the deck"),
                  let path = FileReferences.existingFile(given, context, what: "the \(keyword) \(key) file") else { return nil }
            files[key] = path
        }
        return PluginTermPlan(keyword: keyword, files: files)
    }
}
