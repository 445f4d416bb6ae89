/// `minimize`: energy minimization, optionally relaxing the cell.
enum MinimizeSection {
    static let keys = ["algorithm", "max_force", "energy_change", "max_steps", "cell"]
    static let cellKeys = ["pressure", "coupling"]

    static func decode(_ value: DeckValue, _ context: DeckContext) -> MinimizePlan? {
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        let algorithm = map.optional("algorithm").read(default: .fire) { $0.choice(context, MinimizePlan.Algorithm.self) }
        let maxForce = map.optional("max_force").read(default: 1.0e-4) { $0.number(context, .positive("eV/Å")) }
        let energyChange = map.optional("energy_change").read(default: 0) { $0.number(context, .nonNegative("eV")) }
        let maxSteps = map.optional("max_steps").read(default: 10_000) { $0.integer(context, atLeast: 1) }
        let cell = OptionalSetting(map.optional("cell")) { decodeCell($0, context) }
        guard let algorithm, let maxForce, let energyChange, let maxSteps, !cell.isInvalid else { return nil }
        return MinimizePlan(algorithm: algorithm, maxForce: maxForce, energyChange: energyChange, maxSteps: maxSteps,
                            cell: cell.value)
    }

    private static func decodeCell(_ value: DeckValue, _ context: DeckContext) -> CellRelaxPlan? {
        guard let map = MapReader(value, allowed: cellKeys, context: context) else { return nil }
        let pressure = map.optional("pressure").read(default: 0) { $0.number(context, .anyValue("bar")) }
        let coupling = map.optional("coupling").read(default: .anisotropic) { $0.choice(context, CellRelaxPlan.Coupling.self) }
        guard let pressure, let coupling else { return nil }
        return CellRelaxPlan(pressure: pressure, coupling: coupling)
    }
}
