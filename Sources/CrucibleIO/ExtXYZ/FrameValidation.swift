#if canImport(CrucibleCore)
import CrucibleCore
#endif

/// Checks, before writing, that a frame can be written as extended XYZ and read back unchanged.
/// Why: a frame built in code can be inconsistent (wrong lengths, names that break the format);
/// better a clear error than a file that no reader accepts.
enum FrameValidation {
    static let reservedKeys: Set<String> = ["Lattice", "Properties", "pbc"]

    static func check(_ frame: XYZFrame, index: Int, fileName: String) throws {
        func fail(_ key: String?, _ message: String) -> InputError {
            InputError(file: fileName, key: key, "frame \(index): \(message)")
        }
        let n = frame.atomCount
        guard frame.cell.count == 9 else { throw fail("cell", "expected 9 cell values, found \(frame.cell.count)") }
        guard frame.pbc.count == 3 else { throw fail("pbc", "expected 3 pbc flags, found \(frame.pbc.count)") }
        guard frame.positions.count == 3 * n else {
            throw fail("positions", "expected \(3 * n) position values for \(n) atoms, found \(frame.positions.count)")
        }
        for symbol in frame.symbols where !isSingleField(symbol) {
            throw fail("symbols", "species '\(symbol)' is empty or contains whitespace")
        }
        for (name, array) in frame.arrays {
            guard isPropertyName(name), name != "species", name != "pos" else {
                throw fail(name, "not usable as a Properties name (empty, contains ':' or whitespace, or is species/pos)")
            }
            guard array.columns >= 1, array.valueCount == n * array.columns else {
                throw fail(name, "expected \(n) rows × \(array.columns) columns = \(n * max(array.columns, 0)) values, "
                           + "found \(array.valueCount)")
            }
            if case .strings(let values, _) = array, let bad = values.first(where: { !isSingleField($0) }) {
                throw fail(name, "string '\(bad)' is empty or contains whitespace")
            }
        }
        for (key, value) in frame.info {
            guard !key.isEmpty, !containsLineBreak(key) else { throw fail(key, "info keys must be non-empty single-line") }
            guard !reservedKeys.contains(key) else {
                throw fail(key, "'\(key)' is written from the frame's own fields; it cannot also be an info key")
            }
            if case .string(let s) = value, containsLineBreak(s) {
                throw fail(key, "info strings cannot contain line breaks")
            }
            if FrameHeader.nineNumberKeys.contains(key), value.doubles?.count != 9 {
                throw fail(key, "'\(key)' must hold 9 numbers (a 3×3 matrix): ASE rejects anything else")
            }
        }
    }

    private static func isSingleField(_ text: String) -> Bool {
        !text.isEmpty && !text.unicodeScalars.contains { $0.properties.isWhitespace }
    }

    private static func isPropertyName(_ text: String) -> Bool {
        isSingleField(text) && !text.contains(":") && !text.contains("\"")
    }

    private static func containsLineBreak(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0 == "\n" || $0 == "\r" }
    }
}
