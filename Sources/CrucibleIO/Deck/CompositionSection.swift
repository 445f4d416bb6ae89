/// How many sites a lattice has, with what messages need to explain the number.
struct SiteCount {
    var total: Int?
    var kind: LatticePlan.Kind?
    var repeats: SIMD3<Int>?

    var explanation: String {
        guard let total, let kind, let repeats else { return "" }
        return "\(total) sites (\(kind.atomsPerCell) per \(kind.rawValue) cell × \(repeats.x)×\(repeats.y)×\(repeats.z))"
    }
}

/// `system.lattice.composition`: a random alloy given as fractions summing to 1,
/// or as whole atom counts summing to the number of sites.
enum CompositionSection {
    static let fractionTolerance = 1e-6

    static func decode(_ value: DeckValue, sites: SiteCount, _ context: DeckContext) -> LatticePlan.Occupancy? {
        guard let map = MapReader(value, allowed: ElementSymbols.ordered, context: context,
                                  describeUnknown: ElementSymbols.unknownMessage) else { return nil }
        guard !map.presentKeys.isEmpty || !map.unknownKeys.isEmpty else {
            context.report("composition names no elements; give fractions like {Cu: 0.5, Ni: 0.5}", at: value.anchorPosition, path: value.path)
            return nil
        }
        var amounts: [(symbol: String, amount: Double, isWhole: Bool)] = []
        var failed = !map.unknownKeys.isEmpty
        for symbol in map.presentKeys {
            guard let entry = map.optional(symbol), let amount = entry.number(context, .nonNegative("")) else {
                failed = true
                continue
            }
            let isWhole = entry.scalarText.map { !$0.contains(where: { ".eE".contains($0) }) } ?? false
            amounts.append((symbol, amount, isWhole))
        }
        guard !failed else { return nil }

        let total = amounts.reduce(0) { $0 + $1.amount }
        guard total > 0 else {
            context.report("composition adds up to zero; give fractions summing to 1 or atom counts summing to the number of sites",
                           at: value.anchorPosition, path: value.path)
            return nil
        }
        // Whole numbers not summing to 1 can only be counts; {Cu: 1} reads the same either way.
        let looksLikeCounts = amounts.allSatisfy(\.isWhole) && total != 1
        if looksLikeCounts {
            return counts(amounts, total: total, sites: sites, at: value, context)
        }
        guard abs(total - 1) <= fractionTolerance else {
            var message = "composition fractions sum to \(NumberText.format(total)), not 1 (±\(fractionTolerance))"
            if !sites.explanation.isEmpty { message += "; or give whole atom counts summing to \(sites.explanation)" }
            context.report(message, at: value.anchorPosition, path: value.path)
            return nil
        }
        return .fractions(amounts.map { LatticePlan.SpeciesFraction(symbol: $0.symbol, fraction: $0.amount) })
    }

    private static func counts(_ amounts: [(symbol: String, amount: Double, isWhole: Bool)], total: Double, sites: SiteCount,
                               at value: DeckValue, _ context: DeckContext) -> LatticePlan.Occupancy? {
        // Unknown site count: the lattice itself has an error already reported.
        guard let siteTotal = sites.total else { return nil }
        guard total == Double(siteTotal) else {
            context.report("composition counts sum to \(NumberText.format(total)) atoms but the lattice has \(sites.explanation); "
                           + "fix the counts or give fractions summing to 1", at: value.anchorPosition, path: value.path)
            return nil
        }
        return .counts(amounts.map { LatticePlan.SpeciesCount(symbol: $0.symbol, count: Int($0.amount)) })
    }
}
