#if canImport(CrucibleCore)
import CrucibleCore
#endif

/// A DYNAMO funcfl file (`pair_style eam`, `.eam`): one element, tables of F(ρ), Z(r) and ρ(r).
/// Layout: a free-text line; `Z mass [a0 lattice]`; `nrho drho nr dr cutoff`; then nrho values of F,
/// nr values of Z (effective charge, in √(Hartree·Bohr)), nr values of ρ. Grids start at 0.
/// The file names no element symbol: the caller supplies it when building `EAMTables`.
public struct FuncflFile: Sendable, Equatable {
    public var header: String
    public var atomicNumber: Int
    public var mass: Double
    /// Informational; LAMMPS ignores them.
    public var latticeConstant: Double?
    public var latticeType: String?
    public var nrho: Int
    public var drho: Double
    public var nr: Int
    public var dr: Double
    public var cutoff: Double
    /// F(ρ_k), ρ_k = k·drho, k = 0 ..< nrho (eV).
    public var embedding: [Double]
    /// Z(r_k), r_k = k·dr, k = 0 ..< nr; the pair energy is 27.2·0.529·Z_i·Z_j / r.
    public var effectiveCharge: [Double]
    /// ρ(r_k), k = 0 ..< nr.
    public var density: [Double]
    /// Things LAMMPS silently ignores in this file (extra values, trailing content).
    public var warnings: [String]

    public init(path: String) throws {
        let bytes = try FileBytes.read(path: path)
        self = try Self.parse(bytes, fileName: path)
    }

    public init(text: String, fileName: String) throws {
        self = try Self.parse(Array(text.utf8), fileName: fileName)
    }

    private init(reading reader: inout PotentialTextReader) throws {
        let fileName = reader.fileName
        header = try reader.skipLine("the first (comment) line")
        try PotentialTextReader.checkMetalUnits(firstLine: header, fileName: fileName)

        let element = try reader.words(atLeast: 2, "the element line 'Z mass a0 lattice'")
        atomicNumber = try reader.int(element[0], "the atomic number")
        mass = try reader.double(element[1], "the mass")
        latticeConstant = element.count > 2 ? try? reader.double(element[2], "the lattice constant") : nil
        latticeType = element.count > 3 ? reader.text(element[3]) : nil

        let grid = try EAMGrid(reading: &reader)
        (nrho, drho, nr, dr, cutoff) = (grid.nrho, grid.drho, grid.nr, grid.dr, grid.cutoff)

        embedding = try reader.table(count: nrho, "F(rho), the embedding energy")
        effectiveCharge = try reader.table(count: nr, "Z(r), the effective charge")
        density = try reader.table(count: nr, "rho(r), the electron density")
        reader.noteTrailingContent()
        warnings = reader.warnings
    }

    private static func parse(_ bytes: [UInt8], fileName: String) throws -> FuncflFile {
        try bytes.withUnsafeBufferPointer { buffer in
            var reader = PotentialTextReader(bytes: buffer, fileName: fileName)
            return try FuncflFile(reading: &reader)
        }
    }
}

/// The `nrho drho nr dr cutoff` line shared by all three EAM formats, with the checks LAMMPS makes
/// (counts and dr positive) plus the ones its arithmetic silently needs (drho > 0, at least 4 points
/// for the 4-point funcfl regridding and the spline end formulas, grid ends that are finite numbers).
struct EAMGrid {
    var nrho: Int
    var drho: Double
    var nr: Int
    var dr: Double
    var cutoff: Double

    static let minimumPoints = 4

    init(reading reader: inout PotentialTextReader) throws {
        let what = "the grid line 'nrho drho nr dr cutoff'"
        let words = try reader.words(atLeast: 5, what)
        nrho = try reader.int(words[0], "nrho (number of density points)")
        drho = try reader.double(words[1], "drho (density spacing)")
        nr = try reader.int(words[2], "nr (number of distance points)")
        dr = try reader.double(words[3], "dr (distance spacing)")
        cutoff = try reader.double(words[4], "the cutoff")
        let checks: [(Bool, Int, String)] = [
            (nrho >= Self.minimumPoints, 0, "nrho must be at least \(Self.minimumPoints), found \(nrho)"),
            (drho > 0 && drho.isFinite, 1, "drho must be positive, found \(drho)"),
            (nr >= Self.minimumPoints, 2, "nr must be at least \(Self.minimumPoints), found \(nr)"),
            (dr > 0 && dr.isFinite, 3, "dr must be positive, found \(dr)"),
            (cutoff > 0 && cutoff.isFinite, 4, "the cutoff must be positive, found \(cutoff)"),
            // The grids' ends, (nrho−1)·drho and (nr−1)·dr, are what funcfl mixing divides and rounds to Int
            // (all checks are evaluated, so no Int arithmetic on counts that may be Int.min).
            (((Double(nrho) - 1) * drho).isFinite, 1, "the density grid (nrho-1)*drho is too large to represent (drho = \(drho))"),
            (((Double(nr) - 1) * dr).isFinite, 3, "the distance grid (nr-1)*dr is too large to represent (dr = \(dr))"),
        ]
        for (ok, index, message) in checks where !ok {
            let word = words[index]
            throw InputError(file: reader.fileName, line: word.line, column: word.column, message)
        }
    }
}
