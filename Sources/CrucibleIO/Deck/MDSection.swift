/// `md`: molecular dynamics, NVE unless a thermostat (and maybe a barostat) is given.
enum MDSection {
    static let keys = ["steps", "timestep", "thermostat", "barostat", "path_integral"]

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
        let pathIntegral = OptionalSetting(map.optional("path_integral")) { PathIntegralSection.decode($0, context) }
        var pathIntegralAllowed = true
        if let value = map.optional("path_integral") {
            if map.optional("thermostat") == nil {
                context.report("path integrals need 'md.thermostat': its temperature sets the ring polymer's spring frequency (use centroid: free in path_integral for an unthermostatted centroid)",
                               at: value.anchorPosition, path: value.path)
                pathIntegralAllowed = false
            }
        }
        guard let steps, let timestep, !thermostat.isInvalid, !barostat.isInvalid, barostatAllowed,
              !pathIntegral.isInvalid, pathIntegralAllowed else { return nil }
        return MDPlan(steps: steps, timestep: timestep, thermostat: thermostat.value, barostat: barostat.value,
                      pathIntegral: pathIntegral.value)
    }
}
