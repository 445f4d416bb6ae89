#if canImport(CrucibleCore)
import CrucibleCore
#endif

/// What the comment line of a frame says: cell, pbc, the atom-line layout and the other keys.
struct FrameHeader {
    var cell: [Double] = Array(repeating: 0, count: 9)
    var pbc: [Bool] = [false, false, false]
    var properties: PropertiesSpec = .plainXYZ
    var info: [String: XYZValue] = [:]

    /// Keys that ASE reshapes into 3×3 matrices: they must hold exactly 9 numbers.
    static let nineNumberKeys: Set<String> = ["Lattice", "stress", "virial"]

    init(commentLine: String, file: String, line: Int) throws {
        var sawLattice = false
        var sawPBC = false
        for pair in CommentLineTokenizer.pairs(in: commentLine) {
            switch pair.key {
            case "Properties":
                properties = try PropertiesSpec(parsing: pair.value, file: file, line: line)
            case "Lattice":
                cell = try Self.nineNumbers(pair, file: file, line: line)
                sawLattice = true
            case "pbc":
                pbc = try Self.periodicity(pair, file: file, line: line)
                sawPBC = true
            default:
                let value = CommentValueTyping.typedValue(key: pair.key, raw: pair.value)
                if Self.nineNumberKeys.contains(pair.key) {
                    info[pair.key] = .doubleArray(try Self.nineNumbers(pair, file: file, line: line))
                } else {
                    info[pair.key] = value
                }
            }
        }
        // ASE: a Lattice without pbc means periodic in all three directions.
        if sawLattice && !sawPBC { pbc = [true, true, true] }
    }

    private static func nineNumbers(_ pair: CommentLineTokenizer.Pair, file: String, line: Int) throws -> [Double] {
        let value = CommentValueTyping.typedValue(key: pair.key, raw: pair.value)
        guard let numbers = value.doubles else {
            throw InputError(file: file, line: line, key: pair.key,
                             "expected 9 numbers (a 3×3 matrix, \"xx xy xz yx yy yz zx zy zz\"), found '\(pair.value)'")
        }
        guard numbers.count == 9 else {
            throw InputError(file: file, line: line, key: pair.key,
                             "expected 9 numbers (a 3×3 matrix), found \(numbers.count): '\(pair.value)'")
        }
        return numbers
    }

    private static func periodicity(_ pair: CommentLineTokenizer.Pair, file: String, line: Int) throws -> [Bool] {
        switch CommentValueTyping.typedValue(key: pair.key, raw: pair.value) {
        case .bool(let b): return [b, b, b]
        case .boolArray(let flags) where flags.count == 3: return flags
        default:
            throw InputError(file: file, line: line, key: "pbc",
                             "expected three booleans such as \"T T F\", found '\(pair.value)'")
        }
    }
}
