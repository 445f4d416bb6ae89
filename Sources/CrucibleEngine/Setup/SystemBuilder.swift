/// Builds the starting configuration of a run from the deck's `system` block.
enum SystemBuilder {
    static func configuration(_ plan: SystemPlan, deckPath: String) throws -> Configuration {
        var configuration: Configuration
        switch plan.source {
        case .lattice(let lattice): configuration = try build(lattice, deckPath: deckPath)
        case .structure(let file): configuration = try load(file)
        }
        for (symbol, mass) in plan.masses { configuration.speciesTable.setMass(mass, for: symbol) }
        for isotope in plan.isotopes { try label(isotope, in: &configuration, deckPath: deckPath) }
        if let velocities = plan.velocities {
            var random = RandomStream(seed: velocities.seed, key: StreamKey(.velocities))
            configuration.assignMaxwellBoltzmannVelocities(temperature: velocities.temperature, random: &random)
        }
        return configuration
    }

    /// Gives round(fraction × n) of the n atoms of the isotope's element (species labelled by the
    /// element) the isotope's species, chosen by a partial shuffle of the stream keyed `isotopes`.
    static func label(_ isotope: IsotopePlan, in configuration: inout Configuration, deckPath: String) throws {
        guard let from = configuration.speciesTable.index(of: isotope.element) else {
            throw InputError(file: deckPath, key: "system.isotopes.\(isotope.label)",
                             "the system has no \(isotope.element) atoms (it has \(configuration.speciesTable.symbols.joined(separator: ", ")))")
        }
        guard let to = configuration.speciesTable.addIsotope(isotope.label, element: isotope.element, mass: isotope.mass) else {
            throw InputError(file: deckPath, key: "system.isotopes.\(isotope.label)",
                             "the structure already has a species \(isotope.label) of another element or mass")
        }
        var atoms = (0..<configuration.count).filter { configuration.species[$0] == Int32(from) }
        let chosen = Int((isotope.fraction * Double(atoms.count)).rounded())
        var random = RandomStream(seed: isotope.seed, key: StreamKey(.isotopes, replica: to))
        for k in 0..<chosen {
            atoms.swapAt(k, k + Int(random.next() % UInt64(atoms.count - k)))
            configuration.species[atoms[k]] = Int32(to)
        }
    }

    static func build(_ plan: LatticePlan, deckPath: String) throws -> Configuration {
        guard let kind = LatticeKind(rawValue: plan.kind.rawValue) else {
            throw InputError(file: deckPath, key: "system.lattice.kind", "unsupported lattice '\(plan.kind.rawValue)'")
        }
        let lattice = Lattice(kind: kind, a: plan.a, c: plan.c, repeats: [plan.repeats.x, plan.repeats.y, plan.repeats.z])
        let (cell, positions) = lattice.build()
        var table = SpeciesTable()
        let n = lattice.atomCount
        var species: [Int32]
        switch plan.occupancy {
        case .single(let symbol):
            species = [Int32](repeating: Int32(try add(symbol, to: &table, deckPath)), count: n)
        case .fractions(let fractions):
            for f in fractions { _ = try add(f.symbol, to: &table, deckPath) }
            var random = RandomStream(seed: plan.seed, key: StreamKey(.alloy))
            species = Composition.randomSpecies(counts: Composition.counts(fractions: fractions.map(\.fraction), total: n), random: &random)
        case .counts(let counts):
            for c in counts { _ = try add(c.symbol, to: &table, deckPath) }
            var random = RandomStream(seed: plan.seed, key: StreamKey(.alloy))
            species = Composition.randomSpecies(counts: counts.map(\.count), random: &random)
        }
        return Configuration(cell: cell, positions: positions, species: species, speciesTable: table)
    }

    static func add(_ symbol: String, to table: inout SpeciesTable, _ deckPath: String) throws -> Int {
        guard let index = table.add(symbol) else {
            throw InputError(file: deckPath, key: "system.lattice", "unknown element '\(symbol)'")
        }
        return index
    }

    static func load(_ plan: StructureFilePlan) throws -> Configuration {
        let frames = try readExtXYZ(path: plan.path)
        let index = plan.frame < 0 ? frames.count + plan.frame : plan.frame
        guard frames.indices.contains(index) else {
            throw InputError(file: plan.path, key: "system.structure.frame",
                             "frame \(plan.frame) does not exist: the file has \(frames.count) frame(s)")
        }
        return try Configuration(frame: frames[index], file: plan.path)
    }
}
