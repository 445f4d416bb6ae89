#if canImport(CrucibleCore)
import CrucibleCore
#endif

/// Reads the N atom lines of one frame into flat per-property arrays.
/// This is the hot path for large frames: it scans bytes in place and allocates only the
/// output arrays (and a String per distinct run of species).
struct AtomLinesParser {
    let spec: PropertiesSpec
    let file: String

    /// One whitespace-separated field of an atom line: which store it goes to.
    private struct Field {
        var kind: PropertiesSpec.Kind
        var store: Int
        var isSpecies: Bool
        var column: PropertiesSpec.Column
        var component: Int
    }

    struct Result {
        var symbols: [String]
        var positions: [Double]
        var arrays: [String: XYZArray]
    }

    func parse(_ cursor: inout LineCursor, atomCount: Int, frameStartLine: Int) throws -> Result {
        // The atom count and column counts are user input: don't trust them for allocation.
        // No line holds more fields than it has bytes, so fields past the first atom line's length
        // are never reached (that line is refused first) and need no layout.
        let bytes = cursor.bytes
        var firstLineEnd = cursor.position
        while firstLineEnd < bytes.count, bytes[firstLineEnd] != 0x0A { firstLineEnd += 1 }
        let layout = try Layout(spec: spec, file: file, line: frameStartLine + 1,
                                maxFields: atomCount == 0 ? 0 : firstLineEnd - cursor.position + 1)
        // Every value takes a byte: reserve only for a frame that the rest of the file can hold.
        let (valueCount, overflow) = spec.fieldCount.multipliedReportingOverflow(by: atomCount)
        let fits = !overflow && valueCount <= bytes.count - cursor.position
        func capacity(_ perAtom: Int) -> Int { fits ? perAtom * atomCount : 0 }
        var doubles = layout.doubleStoreCounts.map { count -> [Double] in
            var a = [Double](); a.reserveCapacity(capacity(count)); return a
        }
        var ints = layout.intStoreCounts.map { count -> [Int] in
            var a = [Int](); a.reserveCapacity(capacity(count)); return a
        }
        var bools = layout.boolStoreCounts.map { count -> [Bool] in
            var a = [Bool](); a.reserveCapacity(capacity(count)); return a
        }
        var strings = layout.stringStoreCounts.map { count -> [String] in
            var a = [String](); a.reserveCapacity(capacity(count)); return a
        }
        var symbols: [String] = []
        symbols.reserveCapacity(layout.hasSpecies ? capacity(1) : 0)
        var species = SpeciesCache()
        let fields = layout.fields

        for atom in 0..<atomCount {
            guard let line = cursor.nextLine() else {
                throw InputError(file: file, line: max(cursor.lineNumber, 1),
                                 "the frame starting at line \(frameStartLine) declares \(atomCount) atoms, "
                                 + "but the file ends after \(atom) atom lines")
            }
            var i = line.start
            for field in fields {
                while i < line.end, ASCII.isSpace(bytes[i]) { i += 1 }
                if i == line.end { throw wrongFieldCount(cursor, line) }
                let start = i
                while i < line.end, !ASCII.isSpace(bytes[i]) { i += 1 }
                switch field.kind {
                case .real:
                    guard let v = DecimalNumber.parseDouble(bytes, start, i, allowNonFinite: true) else {
                        throw badField(cursor, line, start, i, field, expected: "a real number")
                    }
                    doubles[field.store].append(v)
                case .integer:
                    guard let v = DecimalNumber.parseInt(bytes, start, i) else {
                        throw badField(cursor, line, start, i, field, expected: "an integer")
                    }
                    ints[field.store].append(v)
                case .logical:
                    guard let v = Self.parseLogical(bytes, start, i) else {
                        throw badField(cursor, line, start, i, field, expected: "T, F, True or False")
                    }
                    bools[field.store].append(v)
                case .string:
                    if field.isSpecies {
                        symbols.append(species.symbol(bytes, start, i))
                    } else {
                        strings[field.store].append(cursor.text(start, i))
                    }
                }
            }
            while i < line.end, ASCII.isSpace(bytes[i]) { i += 1 }
            if i < line.end { throw wrongFieldCount(cursor, line) }
        }
        return try layout.assemble(doubles: doubles, ints: ints, bools: bools, strings: strings,
                                   symbols: symbols, file: file, line: frameStartLine + 1)
    }

    private func wrongFieldCount(_ cursor: LineCursor, _ line: LineCursor.Line) -> InputError {
        let found = cursor.words(line).count
        let names = spec.columns.map { "\($0.name):\($0.kind.rawValue):\($0.count)" }.joined(separator: ":")
        return InputError(file: file, line: line.number,
                          "expected \(spec.fieldCount) fields on this atom line (Properties=\(names)), found \(found)")
    }

    private func badField(_ cursor: LineCursor, _ line: LineCursor.Line, _ start: Int, _ end: Int,
                          _ field: Field, expected: String) -> InputError {
        let which = field.column.count > 1 ? " (column \(field.component + 1) of \(field.column.count))" : ""
        return InputError(file: file, line: line.number, column: start - line.start + 1, key: field.column.name,
                          "expected \(expected)\(which), found '\(cursor.text(start, end))'")
    }

    /// ASE's logical column values.
    private static func parseLogical(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool? {
        switch end - start {
        case 1:
            if bytes[start] == UInt8(ascii: "T") { return true }
            if bytes[start] == UInt8(ascii: "F") { return false }
            return nil
        case 4, 5:
            let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            return word == "True" ? true : (word == "False" ? false : nil)
        default:
            return nil
        }
    }

    /// Maps the Properties columns onto typed stores and reassembles the frame's arrays.
    private struct Layout {
        var fields: [Field] = []
        var doubleStoreCounts: [Int] = []
        var intStoreCounts: [Int] = []
        var boolStoreCounts: [Int] = []
        var stringStoreCounts: [Int] = []
        var hasSpecies = false
        /// (column, store) in Properties order, species excluded.
        var outputs: [(column: PropertiesSpec.Column, store: Int)] = []

        /// Lays out at most `maxFields` fields (those of the columns past it can't be on the line).
        init(spec: PropertiesSpec, file: String, line: Int, maxFields: Int) throws {
            for column in spec.columns {
                var store = 0
                let isSpecies = column.name == "species"
                if isSpecies {
                    guard column.kind == .string, column.count == 1 else {
                        throw InputError(file: file, line: line, key: "Properties",
                                         "species must be declared species:S:1")
                    }
                    hasSpecies = true
                } else {
                    if column.name == "pos", !(column.kind == .real && column.count == 3) {
                        throw InputError(file: file, line: line, key: "Properties", "pos must be declared pos:R:3")
                    }
                    switch column.kind {
                    case .real: store = doubleStoreCounts.count; doubleStoreCounts.append(column.count)
                    case .integer: store = intStoreCounts.count; intStoreCounts.append(column.count)
                    case .logical: store = boolStoreCounts.count; boolStoreCounts.append(column.count)
                    case .string: store = stringStoreCounts.count; stringStoreCounts.append(column.count)
                    }
                    outputs.append((column, store))
                }
                for component in 0..<min(column.count, max(maxFields - fields.count, 0)) {
                    fields.append(Field(kind: column.kind, store: store, isSpecies: isSpecies,
                                        column: column, component: component))
                }
            }
            guard spec.columns.contains(where: { $0.name == "pos" }) else {
                throw InputError(file: file, line: line, key: "Properties", "no positions: expected a pos:R:3 property")
            }
            if !hasSpecies {
                guard spec.columns.contains(where: { $0.name == "Z" && $0.kind == .integer && $0.count == 1 }) else {
                    throw InputError(file: file, line: line, key: "Properties",
                                     "no species: expected a species:S:1 (or Z:I:1) property")
                }
            }
        }

        func assemble(doubles: [[Double]], ints: [[Int]], bools: [[Bool]], strings: [[String]],
                      symbols: [String], file: String, line: Int) throws -> Result {
            var positions: [Double] = []
            var arrays: [String: XYZArray] = [:]
            var symbols = symbols
            for (column, store) in outputs {
                switch column.kind {
                case .real:
                    if column.name == "pos" { positions = doubles[store]; continue }
                    arrays[column.name] = .doubles(doubles[store], columns: column.count)
                case .integer:
                    if column.name == "Z" && !hasSpecies {
                        // ASE takes the species from the atomic numbers when there is no species column.
                        symbols = try ints[store].map { z in
                            guard let symbol = ChemicalSymbols.symbol(atomicNumber: z) else {
                                throw InputError(file: file, line: line, key: "Z", "no element has atomic number \(z)")
                            }
                            return symbol
                        }
                        continue
                    }
                    arrays[column.name] = .ints(ints[store], columns: column.count)
                case .logical:
                    arrays[column.name] = .bools(bools[store], columns: column.count)
                case .string:
                    arrays[column.name] = .strings(strings[store], columns: column.count)
                }
            }
            return Result(symbols: symbols, positions: positions, arrays: arrays)
        }
    }
}

/// Species strings, capitalised as ASE does ("CU" → "Cu"), reusing the previous String when the
/// bytes repeat (atoms of one element are usually listed together).
private struct SpeciesCache {
    private var lastBytes: [UInt8] = []
    private var lastSymbol = ""

    mutating func symbol(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        let length = end - start
        if length == lastBytes.count {
            var same = true
            for k in 0..<length where bytes[start + k] != lastBytes[k] { same = false; break }
            if same { return lastSymbol }
        }
        lastBytes = Array(bytes[start..<end])
        let raw = String(decoding: lastBytes, as: UTF8.self)
        lastSymbol = raw.prefix(1).uppercased() + raw.dropFirst().lowercased()
        return lastSymbol
    }
}
