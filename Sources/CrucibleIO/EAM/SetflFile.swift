#if canImport(CrucibleCore)
import CrucibleCore
#endif

/// A DYNAMO setfl file (`pair_style eam/alloy`, `.eam.alloy`) or its Finnis–Sinclair variant
/// (`pair_style eam/fs`, `.eam.fs`). Layout: 3 free-text lines; `N sym1 … symN`;
/// `nrho drho nr dr cutoff`; per element: `Z mass a0 lattice`, F(ρ) (nrho values), then ρ(r)
/// (nr values; for Finnis–Sinclair N tables, one per receiving element); finally r·φ(r) for each
/// pair i ≥ j in the order (0,0), (1,0), (1,1), (2,0), … Grids start at 0.
public struct SetflFile: Sendable, Equatable {
    public enum Variant: String, Sendable {
        /// eam/alloy: ρ depends only on the element producing it.
        case alloy
        /// eam/fs: ρ depends on the producing and the receiving element.
        case finnisSinclair
    }

    public var variant: Variant
    /// The three free-text lines.
    public var comments: [String]
    public var elements: [String]
    public var atomicNumbers: [Int]
    public var masses: [Double]
    /// Informational; LAMMPS ignores them.
    public var latticeConstants: [Double?]
    public var latticeTypes: [String?]
    public var nrho: Int
    public var drho: Double
    public var nr: Int
    public var dr: Double
    public var cutoff: Double
    /// F_e(ρ_k), ρ_k = k·drho (eV), one table per element.
    public var embedding: [[Double]]
    /// alloy: `density[e]` is ρ produced by an atom of element e.
    /// finnisSinclair: `density[e * N + f]` is ρ produced by an e atom at an f atom
    /// (the f-th table in element e's block, which is how LAMMPS indexes it).
    public var density: [[Double]]
    /// r·φ(r) (eV·Å) per unordered pair, at index `EAMTables.pairIndex(i, j)`.
    public var z2r: [[Double]]
    /// Things LAMMPS silently ignores in this file (extra values, trailing content, repeated symbols).
    public var warnings: [String]

    public init(path: String, variant: Variant) throws {
        let bytes = try FileBytes.read(path: path)
        self = try Self.parse(bytes, fileName: path, variant: variant)
    }

    public init(text: String, fileName: String, variant: Variant) throws {
        self = try Self.parse(Array(text.utf8), fileName: fileName, variant: variant)
    }

    private static func parse(_ bytes: [UInt8], fileName: String, variant: Variant) throws -> SetflFile {
        try bytes.withUnsafeBufferPointer { buffer in
            var reader = PotentialTextReader(bytes: buffer, fileName: fileName)
            return try SetflFile(reading: &reader, variant: variant)
        }
    }

    private init(reading reader: inout PotentialTextReader, variant: Variant) throws {
        self.variant = variant
        comments = []
        for k in 1...3 { comments.append(try reader.skipLine("comment line \(k) of 3")) }
        try PotentialTextReader.checkMetalUnits(firstLine: comments[0], fileName: reader.fileName)

        elements = try Self.readElementLine(&reader)
        let n = elements.count
        var extraWarnings: [String] = []
        for (index, symbol) in elements.enumerated() where elements.firstIndex(of: symbol) != index {
            extraWarnings.append("element \(symbol) is listed twice; LAMMPS maps the symbol to its first entry")
        }

        let grid = try EAMGrid(reading: &reader)
        (nrho, drho, nr, dr, cutoff) = (grid.nrho, grid.drho, grid.nr, grid.dr, grid.cutoff)

        atomicNumbers = []
        masses = []
        latticeConstants = []
        latticeTypes = []
        embedding = []
        density = []
        for e in 0..<n {
            let symbol = elements[e]
            let line = try reader.words(atLeast: 2, "the line 'Z mass a0 lattice' of element \(symbol)")
            atomicNumbers.append(try reader.int(line[0], "the atomic number of \(symbol)"))
            masses.append(try reader.double(line[1], "the mass of \(symbol)"))
            latticeConstants.append(line.count > 2 ? try? reader.double(line[2], "a0") : nil)
            latticeTypes.append(line.count > 3 ? reader.text(line[3]) : nil)
            embedding.append(try reader.table(count: nrho, "F(rho) of \(symbol)"))
            switch variant {
            case .alloy:
                density.append(try reader.table(count: nr, "rho(r) of \(symbol)"))
            case .finnisSinclair:
                for f in 0..<n {
                    density.append(try reader.table(count: nr, "rho(r) of \(symbol) at \(elements[f])"))
                }
            }
        }
        z2r = []
        for i in 0..<n {
            for j in 0...i {
                z2r.append(try reader.table(count: nr, "r*phi(r) of \(elements[i])-\(elements[j])"))
            }
        }
        reader.noteTrailingContent()
        warnings = extraWarnings + reader.warnings
    }

    /// `N sym1 … symN`: exactly N symbols, as LAMMPS requires.
    private static func readElementLine(_ reader: inout PotentialTextReader) throws -> [String] {
        let words = try reader.words(atLeast: 1, "the element line 'N sym1 ... symN'")
        let count = try reader.int(words[0], "the number of elements")
        guard count >= 1 else {
            throw InputError(file: reader.fileName, line: words[0].line, column: words[0].column,
                             "the number of elements must be at least 1, found \(count)")
        }
        guard words.count - 1 == count else {  // not count + 1: count can be Int.max
            throw InputError(file: reader.fileName, line: words[0].line,
                             "the element line declares \(count) element(s) but lists \(words.count - 1) symbol(s)")
        }
        return words.dropFirst().map { reader.text($0) }
    }
}
