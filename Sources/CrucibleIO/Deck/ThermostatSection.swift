/// `md.thermostat`: a map with exactly one key naming the thermostat.
enum ThermostatSection {
    static let kinds = ["langevin", "csvr"]
    /// Keys of each thermostat's map: the target temperature and the rate (last).
    static let langevinKeys = ["temperature", "damping"]
    static let csvrKeys = ["temperature", "tau"]

    static func decode(_ value: DeckValue, _ context: DeckContext) -> ThermostatPlan? {
        guard let map = MapReader(value, allowed: kinds, context: context),
              let chosen = map.exactlyOne(of: kinds, context,
                                          missing: "'md.thermostat' needs one of 'langevin' or 'csvr'")
        else { return nil }
        let isLangevin = chosen.key == "langevin"
        let bodyKeys = isLangevin ? langevinKeys : csvrKeys
        let rateKey = bodyKeys[1]
        guard let body = MapReader(chosen.value, allowed: bodyKeys, context: context) else { return nil }
        let temperature = body.required("temperature", context, hint: "the target temperature in K")?.number(context, .nonNegative("K"))
        let rate = body.required(rateKey, context, hint: "a time in ps")?.number(context, .positive("ps"))
        guard let temperature, let rate else { return nil }
        return isLangevin ? .langevin(temperature: temperature, damping: rate) : .csvr(temperature: temperature, tau: rate)
    }
}
