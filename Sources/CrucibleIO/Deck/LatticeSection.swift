/// `system.lattice`: a perfect crystal built from a unit cell, filled by one element or a random alloy.
enum LatticeSection {
    static let keys = ["kind", "a", "c", "repeat", "species", "composition", "seed"]

    struct Decoded {
        var plan: LatticePlan
        var species: (symbols: [String], value: DeckValue)
    }

    static func decode(_ value: DeckValue, masterSeed: UInt64, _ context: DeckContext) -> Decoded? {
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        let kind = map.required("kind", context, hint: "one of sc, bcc, fcc, hcp, diamond")?.choice(context, LatticePlan.Kind.self)
        let a = map.required("a", context, hint: "the lattice constant in Å")?.number(context, .positive("Å"))
        var c: Double?
        if let cValue = map.optional("c") {
            c = cValue.number(context, .positive("Å"))
            if let kind, kind != .hcp {
                context.report("'c' applies only to hcp lattices, not \(kind.rawValue)", at: cValue.anchorPosition, path: cValue.path)
            }
        }
        let repeatValue = map.required("repeat", context, hint: "three cell counts such as [10, 10, 10]")
        let repeats = repeatValue.flatMap { decodeRepeats($0, context) }
        let seed = map.optional("seed").read(default: masterSeed) { $0.integer(context, atLeast: 0).map(UInt64.init) }

        var atomCount: Int?
        if let kind, let repeats, let repeatValue {
            atomCount = countAtoms(kind: kind, repeats: repeats, at: repeatValue, context)
        }
        let occupancy = decodeOccupancy(map, kind: kind, repeats: repeats, atomCount: atomCount, context)

        guard let kind, let a, let repeats, atomCount != nil, let occupancy, let seed else { return nil }
        let plan = LatticePlan(kind: kind, a: a, c: kind == .hcp ? (c ?? (8.0 / 3.0).squareRoot() * a) : nil,
                               repeats: repeats, occupancy: occupancy.occupancy, seed: seed)
        return Decoded(plan: plan, species: (occupancy.symbols, occupancy.value))
    }

    private static func decodeRepeats(_ value: DeckValue, _ context: DeckContext) -> SIMD3<Int>? {
        guard let items = value.list(context, of: "three cell counts") else { return nil }
        guard items.count == 3 else {
            context.report("expected three cell counts such as [10, 10, 10], found \(items.count)", about: value)
            return nil
        }
        let counts = items.compactMap { $0.integer(context, atLeast: 1) }
        guard counts.count == 3 else { return nil }
        return SIMD3(counts[0], counts[1], counts[2])
    }

    private static func countAtoms(kind: LatticePlan.Kind, repeats: SIMD3<Int>, at value: DeckValue, _ context: DeckContext) -> Int? {
        var total = kind.atomsPerCell
        for count in [repeats.x, repeats.y, repeats.z] {
            let (product, overflow) = total.multipliedReportingOverflow(by: count)
            guard !overflow else {
                context.report("the lattice would have more than \(Int.max) atoms; use fewer repeats", about: value)
                return nil
            }
            total = product
        }
        // Atoms are indexed with Int32 (species, ids, neighbour lists). The bound also keeps composition
        // counts, read as Double and matched against this total, convertible back to Int.
        guard total <= Int(Int32.max) else {
            context.report("the lattice would have \(total) atoms, more than the \(Int32.max) Crucible can index; use fewer repeats",
                           about: value)
            return nil
        }
        return total
    }

    private static func decodeOccupancy(_ map: MapReader, kind: LatticePlan.Kind?, repeats: SIMD3<Int>?, atomCount: Int?,
                                        _ context: DeckContext)
        -> (occupancy: LatticePlan.Occupancy, symbols: [String], value: DeckValue)? {
        guard let chosen = map.exactlyOne(of: ["species", "composition"], context,
                                          missing: "missing 'species' or 'composition' in 'system.lattice': say which elements fill the sites")
        else { return nil }
        if chosen.key == "species" {
            guard let symbol = chosen.value.elementSymbol(context) else { return nil }
            return (.single(symbol), [symbol], chosen.value)
        }
        let sites = SiteCount(total: atomCount, kind: kind, repeats: repeats)
        guard let occupancy = CompositionSection.decode(chosen.value, sites: sites, context) else { return nil }
        let symbols: [String]
        switch occupancy {
        case .single(let symbol): symbols = [symbol]
        case .fractions(let shares): symbols = shares.map(\.symbol)
        case .counts(let counts): symbols = counts.map(\.symbol)
        }
        return (occupancy, symbols, chosen.value)
    }
}
