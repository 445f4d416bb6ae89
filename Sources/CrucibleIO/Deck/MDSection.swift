/// `md`: molecular dynamics, NVE unless a thermostat (and maybe a barostat) is given.
enum MDSection {
    static let keys = ["steps", "timestep", "thermostat", "barostat"]

    static func decode(_ value: DeckValue, _ context: DeckContext) -> MDPlan? {
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        let steps = map.required("steps", context, hint: "the number of time steps")?.integer(context, atLeast: 0)
        let timestep = map.optional("timestep").read(default: 0.001) { $0.number(context, .positive("ps")) }
        let thermostat = OptionalSetting(map.optional("thermostat")) { ThermostatSection.decode($0, context) }
        let barostat = OptionalSetting(map.optional("barostat")) { BarostatSection.decode($0, context) }
        var barostatAllowed = true
        if let barostatValue = map.optional("barostat"), map.optional("thermostat") == nil {
            context.report("a barostat needs a thermostat: add 'md.thermostat' (langevin or csvr)",
                           at: barostatValue.anchorPosition, path: barostatValue.path)
            barostatAllowed = false
        }
        guard let steps, let timestep, !thermostat.isInvalid, !barostat.isInvalid, barostatAllowed else { return nil }
        return MDPlan(steps: steps, timestep: timestep, thermostat: thermostat.value, barostat: barostat.value)
    }
}
