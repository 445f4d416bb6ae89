import Foundation

/// `replicas`: K copies of the system in one run (`count`, or one per listed temperature/pressure).
enum ReplicasSection {
    static let keys = ["count", "temperatures", "ladder", "pressures", "parameters", "exchange"]
    static let ladderKeys = ["min", "max"]
    static let exchangeKeys = ["every", "pairs", "file"]
    /// More replicas than this is surely a typo (each holds a whole system).
    static let maxCount = 4096

    /// `parameterNames`: the Hamiltonian parameters the potential's terms declare (nil: the
    /// potential did not decode, so `parameters` is not checked against it).
    static func decode(_ value: DeckValue?, run: RunKind?, parameterNames: [String]?, _ context: DeckContext) -> ReplicasPlan?? {
        guard let value else { return .some(nil) }
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        let count = OptionalSetting(map.optional("count")) { $0.integer(context, atLeast: 1) }
        let temperatures = OptionalSetting(map.optional("temperatures")) { numbers($0, context, .nonNegative("K")) }
        let pressures = OptionalSetting(map.optional("pressures")) { numbers($0, context, .anyValue("bar")) }
        let exchange = OptionalSetting(map.optional("exchange")) { decodeExchange($0, context) }
        let parameters = OptionalSetting(map.optional("parameters")) { decodeParameters($0, declared: parameterNames, context) }
        guard !count.isInvalid, !temperatures.isInvalid, !pressures.isInvalid, !exchange.isInvalid, !parameters.isInvalid else { return nil }
        var ladder: [Double]?
        if let ladderValue = map.optional("ladder") {
            guard let bounds = decodeLadder(ladderValue, context) else { return nil }
            guard let k = count.value, temperatures.value == nil else {
                context.report("'replicas.ladder' needs 'count' (the number of temperatures) and no 'temperatures' list", about: ladderValue)
                return nil
            }
            // Geometric: equal ratios between neighbours, the usual choice for a constant heat capacity.
            ladder = (0..<k).map { k == 1 ? bounds.min : bounds.min * pow(bounds.max / bounds.min, Double($0) / Double(k - 1)) }
        }
        let temperatureList = temperatures.value ?? ladder
        let lengths = ([("count", count.value), ("temperatures", temperatures.value?.count), ("pressures", pressures.value?.count)]
            + (parameters.value ?? []).map { ("parameters." + $0.name, $0.values.count) })
            .compactMap { key, n in n.map { (key, $0) } }
        guard let k = lengths.first?.1 else {
            context.report("'replicas' needs 'count', 'temperatures', 'pressures' or 'parameters' to say how many replicas", about: value)
            return nil
        }
        var ok = true
        for (key, n) in lengths where n != k {
            context.report("'replicas.\(key)' gives \(n) replica(s) but '\(lengths[0].0)' gives \(k); they must agree",
                           about: map.optional(key) ?? map.optional("parameters")!)
            ok = false
        }
        if k > maxCount {
            context.report("\(k) replicas is more than the \(maxCount) a run holds", about: value)
            ok = false
        }
        switch run {
        case .md(let md)?:
            if temperatureList != nil && md.thermostat == nil {
                let key = map.optional("temperatures") != nil ? "temperatures" : "ladder"
                context.report("'replicas.\(key)' needs a thermostat in 'md' (the temperatures are its targets)", about: map.optional(key)!)
                ok = false
            }
            if let exchangeValue = map.optional("exchange"), md.thermostat == nil {
                context.report("'replicas.exchange' needs a thermostat in 'md' (exchanges compare Boltzmann weights at the states' temperatures)",
                               about: exchangeValue)
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
        return .some(ReplicasPlan(members: (0..<k).map { r in
            ReplicasPlan.Member(index: r, temperature: temperatureList?[r], pressure: pressures.value?[r],
                                parameters: Dictionary(uniqueKeysWithValues: (parameters.value ?? []).map { ($0.name, $0.values[r]) }))
        }, exchange: exchange.value))
    }

    static func decodeLadder(_ value: DeckValue, _ context: DeckContext) -> (min: Double, max: Double)? {
        guard let map = MapReader(value, allowed: ladderKeys, context: context) else { return nil }
        let low = map.required("min", context, hint: "the lowest temperature in K")?.number(context, .positive("K"))
        let high = map.required("max", context, hint: "the highest temperature in K")?.number(context, .positive("K"))
        guard let low, let high else { return nil }
        guard high >= low else { context.report("'max' (\(high) K) is below 'min' (\(low) K)", about: value); return nil }
        return (low, high)
    }

    static func decodeExchange(_ value: DeckValue, _ context: DeckContext) -> ReplicasPlan.ExchangePlan? {
        guard let map = MapReader(value, allowed: exchangeKeys, context: context) else { return nil }
        let every = map.required("every", context, hint: "MD steps between exchange rounds")?.integer(context, atLeast: 1)
        let pairing = map.optional("pairs").read(default: ReplicasPlan.ExchangePlan.Pairing.alternate) {
            $0.choice(context, ReplicasPlan.ExchangePlan.Pairing.self)
        }
        let path = OptionalSetting(map.optional("file")) {
            FileReferences.outputFile($0, context, what: "the exchange file", extensions: [])
        }
        guard let every, let pairing, !path.isInvalid else { return nil }
        return ReplicasPlan.ExchangePlan(every: every, pairing: pairing, path: path.value)
    }

    /// `parameters: {name: [v0, v1, …]}`: one value per state for each parameter a term declares.
    static func decodeParameters(_ value: DeckValue, declared: [String]?, _ context: DeckContext) -> [(name: String, values: [Double])]? {
        // Unchecked when the potential did not decode (its own errors are reported).
        guard let declared else { return nil }
        let known = declared.isEmpty ? "the potential has none (a scaled term's 'parameter', or <cv>.kappa and <cv>.center of a pinning bias)"
            : "the potential's are " + declared.joined(separator: ", ")
        guard let map = MapReader(value, allowed: declared, context: context,
                                  describeUnknown: { "no potential term has the parameter '\(DeckValue.printable($0))'; \(known)" }) else { return nil }
        if map.presentKeys.isEmpty {
            if map.unknownKeys.isEmpty { context.report("'parameters' names no parameter; \(known)", about: value) }
            return nil
        }
        let lists = map.presentKeys.map { name in numbers(map.optional(name)!, context, .anyValue("")).map { (name: name, values: $0) } }
        return lists.contains(where: { $0 == nil }) || !map.unknownKeys.isEmpty ? nil : lists.compactMap { $0 }
    }

    private static func numbers(_ value: DeckValue, _ context: DeckContext, _ range: ValueRange) -> [Double]? {
        guard let items = value.list(context, of: "numbers") else { return nil }
        if items.isEmpty { context.report("must list at least one value", about: value); return nil }
        let numbers = items.map { $0.number(context, range) }
        return numbers.contains(where: { $0 == nil }) ? nil : numbers.map { $0! }
    }
}
