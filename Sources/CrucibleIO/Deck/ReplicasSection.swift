/// `replicas`: K copies of the system in one run (`count`, or one per listed temperature/pressure).
enum ReplicasSection {
    static let keys = ["count", "temperatures", "pressures"]
    /// More replicas than this is surely a typo (each holds a whole system).
    static let maxCount = 4096

    static func decode(_ value: DeckValue?, run: RunKind?, _ context: DeckContext) -> ReplicasPlan?? {
        guard let value else { return .some(nil) }
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        let count = OptionalSetting(map.optional("count")) { $0.integer(context, atLeast: 1) }
        let temperatures = OptionalSetting(map.optional("temperatures")) { numbers($0, context, .nonNegative("K")) }
        let pressures = OptionalSetting(map.optional("pressures")) { numbers($0, context, .anyValue("bar")) }
        guard !count.isInvalid, !temperatures.isInvalid, !pressures.isInvalid else { return nil }
        let lengths = [("count", count.value), ("temperatures", temperatures.value?.count), ("pressures", pressures.value?.count)]
            .compactMap { key, n in n.map { (key, $0) } }
        guard let k = lengths.first?.1 else {
            context.report("'replicas' needs 'count', 'temperatures' or 'pressures' to say how many replicas", about: value)
            return nil
        }
        var ok = true
        for (key, n) in lengths where n != k {
            context.report("'replicas.\(key)' gives \(n) replica(s) but '\(lengths[0].0)' gives \(k); they must agree",
                           about: map.optional(key)!)
            ok = false
        }
        if k > maxCount {
            context.report("\(k) replicas is more than the \(maxCount) a run holds", about: value)
            ok = false
        }
        switch run {
        case .md(let md)?:
            if temperatures.value != nil && md.thermostat == nil {
                context.report("'replicas.temperatures' needs a thermostat in 'md' (the temperatures are its targets)",
                               about: map.optional("temperatures")!)
                ok = false
            }
            if pressures.value != nil && md.barostat == nil {
                context.report("'replicas.pressures' needs a barostat in 'md' (the pressures are its targets)",
                               about: map.optional("pressures")!)
                ok = false
            }
        case nil:
            break
        default:
            context.report("'replicas' works with 'md' runs only", about: value)
            ok = false
        }
        guard ok else { return nil }
        return .some(ReplicasPlan(members: (0..<k).map {
            ReplicasPlan.Member(index: $0, temperature: temperatures.value?[$0], pressure: pressures.value?[$0])
        }))
    }

    private static func numbers(_ value: DeckValue, _ context: DeckContext, _ range: ValueRange) -> [Double]? {
        guard let items = value.list(context, of: "numbers") else { return nil }
        if items.isEmpty { context.report("must list at least one value", about: value); return nil }
        let numbers = items.map { $0.number(context, range) }
        return numbers.contains(where: { $0 == nil }) ? nil : numbers.map { $0! }
    }
}
