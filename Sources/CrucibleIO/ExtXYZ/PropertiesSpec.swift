#if canImport(CrucibleCore)
import CrucibleCore
#endif

/// The `Properties=name:type:columns:…` description of the atom lines.
struct PropertiesSpec: Equatable {
    enum Kind: Character, Equatable {
        case real = "R"
        case integer = "I"
        case string = "S"
        case logical = "L"
    }

    struct Column: Equatable {
        var name: String
        var kind: Kind
        var count: Int
    }

    var columns: [Column]

    /// Total number of whitespace-separated fields on each atom line.
    var fieldCount: Int {
        columns.reduce(0) { total, column in
            let (sum, overflow) = total.addingReportingOverflow(column.count)
            return overflow ? Int.max : sum  // counts come from the file and can be anything up to Int.max
        }
    }

    /// What ASE assumes when the comment line has no Properties key (plain XYZ).
    static let plainXYZ = PropertiesSpec(columns: [
        Column(name: "species", kind: .string, count: 1),
        Column(name: "pos", kind: .real, count: 3),
    ])

    /// Parses the value of `Properties=`; `line` is the comment line's number, for errors.
    init(parsing text: String, file: String, line: Int) throws {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 3, fields.count % 3 == 0 else {
            throw InputError(file: file, line: line, key: "Properties",
                             "expected name:type:columns triples (e.g. species:S:1:pos:R:3), found '\(text)'")
        }
        var columns: [Column] = []
        var seen: Set<String> = []
        for start in stride(from: 0, to: fields.count, by: 3) {
            let name = fields[start]
            let typeText = fields[start + 1]
            let countText = fields[start + 2]
            guard !name.isEmpty else {
                throw InputError(file: file, line: line, key: "Properties", "empty property name in '\(text)'")
            }
            guard typeText.count == 1, let letter = typeText.first, let kind = Kind(rawValue: letter) else {
                throw InputError(file: file, line: line, key: "Properties",
                                 "unknown type '\(typeText)' for property '\(name)': expected R, I, S or L")
            }
            guard let count = DecimalNumber.parseInt(countText), count >= 1 else {
                throw InputError(file: file, line: line, key: "Properties",
                                 "expected a positive column count for property '\(name)', found '\(countText)'")
            }
            guard seen.insert(name).inserted else {
                throw InputError(file: file, line: line, key: "Properties", "property '\(name)' is listed twice")
            }
            columns.append(Column(name: name, kind: kind, count: count))
        }
        self.columns = columns
    }

    init(columns: [Column]) {
        self.columns = columns
    }
}
