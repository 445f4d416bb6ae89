#if canImport(CrucibleCore)
import CrucibleCore
#endif

/// Writes frames as extended XYZ that ASE reads back to the same values.
/// Layout follows ASE's writer (Lattice, Properties, info keys, pbc last; species, pos, then the
/// other arrays), but reals are written with Swift's shortest round-trip representation instead of
/// ASE's %16.8f, so nothing is lost. Info keys and extra arrays are written in sorted order.
public func writeExtXYZ(_ frames: [XYZFrame], to path: String) throws {
    let text = try ExtXYZWriter.bytes(frames, fileName: path)
    try FileBytes.write(text, to: path)
}

/// The extended XYZ text of `frames` (what `writeExtXYZ(_:to:)` would put in a file).
public func formatExtXYZ(_ frames: [XYZFrame]) throws -> String {
    String(decoding: try ExtXYZWriter.bytes(frames, fileName: "<extxyz text>"), as: UTF8.self)
}

enum ExtXYZWriter {
    static func bytes(_ frames: [XYZFrame], fileName: String) throws -> [UInt8] {
        var out: [UInt8] = []
        for (index, frame) in frames.enumerated() {
            try FrameValidation.check(frame, index: index, fileName: fileName)
            let arrayNames = frame.arrays.keys.sorted()
            out.append(contentsOf: "\(frame.atomCount)\n".utf8)
            out.append(contentsOf: try commentLine(frame, arrayNames: arrayNames, fileName: fileName).utf8)
            out.append(0x0A)
            appendAtomLines(frame, arrayNames: arrayNames, to: &out)
        }
        return out
    }

    private static func commentLine(_ frame: XYZFrame, arrayNames: [String], fileName: String) throws -> String {
        var parts: [String] = []
        if frame.hasCell {
            parts.append("Lattice=\"" + frame.cell.map(formatReal).joined(separator: " ") + "\"")
        }
        var properties = "species:S:1:pos:R:3"
        for name in arrayNames {
            guard let array = frame.arrays[name] else { continue }
            properties += ":\(name):\(array.typeLetter):\(array.columns)"
        }
        parts.append("Properties=" + properties)
        for key in frame.info.keys.sorted() {
            guard let value = frame.info[key] else { continue }
            parts.append(quoted(key) + "=" + (try formatInfoValue(value, key: key, fileName: fileName)))
        }
        parts.append("pbc=\"" + frame.pbc.map { $0 ? "T" : "F" }.joined(separator: " ") + "\"")
        return parts.joined(separator: " ")
    }

    private static func formatInfoValue(_ value: XYZValue, key: String, fileName: String) throws -> String {
        func list(_ items: [String]) throws -> String {
            guard !items.isEmpty else {
                throw InputError(file: fileName, key: key,
                                 "an empty array cannot be written: ASE would misread the comment line")
            }
            return "\"" + items.joined(separator: " ") + "\""
        }
        switch value {
        case .int(let v): return String(v)
        case .double(let v): return formatReal(v)
        case .bool(let v): return v ? "T" : "F"
        case .string(let s):
            guard !s.isEmpty else {
                throw InputError(file: fileName, key: key,
                                 "an empty string cannot be written: ASE would misread the comment line")
            }
            return quoted(s)
        case .intArray(let v): return try list(v.map { String($0) })
        case .doubleArray(let v): return try list(v.map(formatReal))
        case .boolArray(let v): return try list(v.map { $0 ? "T" : "F" })
        }
    }

    private static func appendAtomLines(_ frame: XYZFrame, arrayNames: [String], to out: inout [UInt8]) {
        let arrays = arrayNames.compactMap { frame.arrays[$0] }
        for atom in 0..<frame.atomCount {
            let symbol = frame.symbols[atom]
            out.append(contentsOf: symbol.utf8)
            if symbol.utf8.count < 2 { out.append(0x20) }
            for k in 0..<3 { appendField(formatReal(frame.positions[3 * atom + k]), width: 16, to: &out) }
            for array in arrays {
                let c = array.columns
                for k in 0..<c {
                    switch array {
                    case .doubles(let v, _): appendField(formatReal(v[c * atom + k]), width: 16, to: &out)
                    case .ints(let v, _): appendField(String(v[c * atom + k]), width: 8, to: &out)
                    case .bools(let v, _): appendField(v[c * atom + k] ? "T" : "F", width: 1, to: &out)
                    case .strings(let v, _): appendField(v[c * atom + k], width: 1, to: &out)
                    }
                }
            }
            out.append(0x0A)
        }
    }

    /// One space, then the field right-aligned to `width` when it fits (ASE's widths: %16.8f for
    /// reals, %8d for integers), so columns line up in the common case.
    private static func appendField(_ text: String, width: Int, to out: inout [UInt8]) {
        out.append(0x20)
        let length = text.utf8.count
        if length < width { out.append(contentsOf: repeatElement(0x20, count: width - length)) }
        out.append(contentsOf: text.utf8)
    }

    /// Shortest text that parses back to the same Double (Swift's description: "3.0", "1e-05",
    /// "inf", "nan"), all of which Python's float() reads.
    static func formatReal(_ value: Double) -> String {
        value.description
    }

    /// Quotes a key or string value when ASE's tokenizer would otherwise split or alter it.
    static func quoted(_ text: String) -> String {
        let needsQuotes = text.unicodeScalars.contains { scalar in
            scalar.properties.isWhitespace || "\"'{}[]=\\,".unicodeScalars.contains(scalar)
        }
        guard needsQuotes else { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            if scalar == "\"" || scalar == "\\" { escaped.unicodeScalars.append("\\") }
            escaped.unicodeScalars.append(scalar)
        }
        return "\"" + escaped + "\""
    }
}
