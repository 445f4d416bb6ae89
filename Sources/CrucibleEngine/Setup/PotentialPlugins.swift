import Foundation

/// Builders of plugin potential terms, by deck keyword. The engine names no plugin type: the
/// command line registers each plugin module's builder at start-up (`crucible`'s main), tests
/// register what they use.
public enum PotentialPlugins {
    public typealias Builder = @Sendable (_ plan: PluginTermPlan, _ speciesTable: SpeciesTable) throws -> any Potential

    private static let lock = NSLock()
    nonisolated(unsafe) private static var builders: [String: Builder] = [:]

    public static func register(_ keyword: String, _ builder: @escaping Builder) {
        lock.lock(); defer { lock.unlock() }
        builders[keyword] = builder
    }

    static func build(_ plan: PluginTermPlan, speciesTable: SpeciesTable, deckPath: String) throws -> any Potential {
        lock.lock()
        let builder = builders[plan.keyword]
        lock.unlock()
        guard let builder else {
            throw InputError(file: deckPath, key: "potential.\(plan.keyword)", "this build of crucible has no '\(plan.keyword)' plugin registered")
        }
        return try builder(plan, speciesTable)
    }
}
