/// Where well-known keys belong, so a key put at the wrong level gets "it belongs in 'md'"
/// rather than a useless spelling suggestion.
enum MisplacedKeys {
    static let home: [String: String] = [
        "structure": "system", "lattice": "system", "masses": "system", "velocities": "system",
        "lj": "potential", "eam": "potential",
        "skin": "neighbor",
        "steps": "md", "timestep": "md", "thermostat": "md", "barostat": "md",
        "langevin": "md.thermostat", "csvr": "md.thermostat",
        "max_force": "minimize", "max_steps": "minimize", "energy_change": "minimize", "algorithm": "minimize",
        "thermo": "output", "trajectory": "output", "final_structure": "output",
    ]

    /// "it belongs in 'md'" when `key` is known to live somewhere other than `path`.
    static func hint(for key: String, at path: DeckPath) -> String? {
        guard let home = home[key], home != path.description else { return nil }
        return "it belongs in '\(home)'"
    }
}
