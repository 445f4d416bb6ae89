extension RandomStream: Checkpointable {
    public func save(into record: inout CheckpointRecord, as prefix: String) {
        record.integers[prefix + "state"] = state.map { Int64(bitPattern: $0) }
        record.doubles[prefix + "spare_normal"] = spareNormal.map { [$0] } ?? []
    }

    public init(from record: CheckpointRecord, as prefix: String) throws {
        let words = try record.integers(prefix + "state")
        guard words.count == 4 else { throw CheckpointError.malformed(prefix + "state", "expected 4 words") }
        let spare = try record.doubles(prefix + "spare_normal")
        self.init(state: words.map { UInt64(bitPattern: $0) }, spareNormal: spare.first)
    }
}

extension Configuration: Checkpointable {
    public func save(into record: inout CheckpointRecord, as prefix: String) {
        record.doubles[prefix + "cell"] = cell.matrix
        record.integers[prefix + "periodic"] = cell.periodic.map { $0 ? 1 : 0 }
        record.doubles[prefix + "positions"] = positions
        record.doubles[prefix + "velocities"] = velocities
        record.integers[prefix + "species"] = species.map(Int64.init)
        record.integers[prefix + "ids"] = ids.map(Int64.init)
        record.integers[prefix + "images"] = images.map(Int64.init)
        record.strings[prefix + "symbols"] = speciesTable.symbols.joined(separator: " ")
        record.doubles[prefix + "masses"] = speciesTable.masses
        if speciesTable.hasIsotopes { record.strings[prefix + "elements"] = speciesTable.elements.joined(separator: " ") }
    }

    public init(from record: CheckpointRecord, as prefix: String) throws {
        let matrix = try record.doubles(prefix + "cell"), periodic = try record.integers(prefix + "periodic")
        let positions = try record.doubles(prefix + "positions"), velocities = try record.doubles(prefix + "velocities")
        let species = try record.integers(prefix + "species"), ids = try record.integers(prefix + "ids")
        let images = try record.integers(prefix + "images")
        let symbols = try record.string(prefix + "symbols").split(separator: " ").map(String.init)
        let masses = try record.doubles(prefix + "masses")
        let n = species.count
        guard matrix.count == 9, periodic.count == 3, positions.count == 3 * n, velocities.count == 3 * n,
              ids.count == n, images.count == 3 * n, symbols.count == masses.count,
              species.allSatisfy({ $0 >= 0 && Int($0) < symbols.count }) else {
            throw CheckpointError.malformed(prefix, "inconsistent sizes")
        }
        // Isotope labels come with their elements (absent: every label is its element).
        let elements = record.strings[prefix + "elements"].map { $0.split(separator: " ").map(String.init) } ?? symbols
        guard elements.count == symbols.count else { throw CheckpointError.malformed(prefix + "elements", "expected \(symbols.count) elements") }
        var table = SpeciesTable()
        for (symbol, (element, mass)) in zip(symbols, zip(elements, masses)) {
            if symbol == element {
                guard table.add(symbol) != nil else { throw CheckpointError.malformed(prefix + "symbols", "unknown element \(symbol)") }
                table.setMass(mass, for: symbol)
            } else {
                guard table.addIsotope(symbol, element: element, mass: mass) != nil else {
                    throw CheckpointError.malformed(prefix + "elements", "isotope \(symbol) of unknown element \(element)")
                }
            }
        }
        self.init(cell: Cell(matrix: matrix, periodic: periodic.map { $0 != 0 }), positions: positions,
                  species: species.map { Int32($0) }, speciesTable: table, velocities: velocities)
        self.ids = ids.map { Int32($0) }
        self.images = images.map { Int32($0) }
    }
}

extension PotentialResult: Checkpointable {
    public func save(into record: inout CheckpointRecord, as prefix: String) {
        record.doubles[prefix + "energy"] = [energy]
        record.doubles[prefix + "forces"] = forces
        record.doubles[prefix + "virial"] = virial
        record.doubles[prefix + "per_atom_energies"] = perAtomEnergies
        record.strings[prefix + "extra_names"] = extras.map(\.name).joined(separator: "\n")
        record.doubles[prefix + "extra_values"] = extras.map(\.value)
    }

    public init(from record: CheckpointRecord, as prefix: String) throws {
        self.init()
        energy = try record.double(prefix + "energy")
        forces = try record.doubles(prefix + "forces")
        virial = try record.doubles(prefix + "virial")
        perAtomEnergies = try record.doubles(prefix + "per_atom_energies")
        let names = try record.string(prefix + "extra_names").split(separator: "\n").map(String.init)
        let values = try record.doubles(prefix + "extra_values")
        guard names.count == values.count else { throw CheckpointError.malformed(prefix + "extra_values", "names and values differ in number") }
        extras = zip(names, values).map { Extra($0, $1) }
        guard virial.count == 6 else { throw CheckpointError.malformed(prefix + "virial", "expected 6 values") }
    }
}

extension MDState: Checkpointable {
    /// Everything a step needs: the microstate, the forces of the last evaluation (a restart must not
    /// re-evaluate them, or the bits of the continuation would differ), the random stream, the clock
    /// and the bath energy of the conserved quantity.
    public func save(into record: inout CheckpointRecord, as prefix: String) {
        configuration.save(into: &record, as: prefix + "configuration/")
        evaluation.save(into: &record, as: prefix + "evaluation/")
        random.save(into: &record, as: prefix + "random/")
        record.integers[prefix + "step"] = [Int64(step)]
        record.doubles[prefix + "time"] = [time]
        record.doubles[prefix + "bath_energy"] = [bathEnergy]
    }

    public init(from record: CheckpointRecord, as prefix: String) throws {
        self.init(configuration: try Configuration(from: record, as: prefix + "configuration/"),
                  random: try RandomStream(from: record, as: prefix + "random/"))
        evaluation = try PotentialResult(from: record, as: prefix + "evaluation/")
        guard evaluation.forces.count == 3 * configuration.count else {
            throw CheckpointError.malformed(prefix + "evaluation/forces", "size does not match the atoms")
        }
        step = Int(try record.integer(prefix + "step"))
        time = try record.double(prefix + "time")
        bathEnergy = try record.double(prefix + "bath_energy")
    }
}

extension ThermodynamicState: Checkpointable {
    public func save(into record: inout CheckpointRecord, as prefix: String) {
        record.integers[prefix + "index"] = [Int64(index)]
        record.doubles[prefix + "temperature"] = [temperature]
        record.doubles[prefix + "pressure"] = pressure.map { [$0] } ?? []
        let names = parameters.keys.sorted()
        record.strings[prefix + "parameter_names"] = names.joined(separator: "\n")
        record.doubles[prefix + "parameter_values"] = names.map { parameters[$0]! }
    }

    public init(from record: CheckpointRecord, as prefix: String) throws {
        let names = try record.string(prefix + "parameter_names").split(separator: "\n").map(String.init)
        let values = try record.doubles(prefix + "parameter_values")
        guard names.count == values.count else { throw CheckpointError.malformed(prefix + "parameter_values", "names and values differ in number") }
        self.init(index: Int(try record.integer(prefix + "index")), temperature: try record.double(prefix + "temperature"), pressure: try record.doubles(prefix + "pressure").first,
                  parameters: Dictionary(uniqueKeysWithValues: zip(names, values)))
    }
}
