
/// EAM tables on one common grid: what LAMMPS's `file2array` produces for pair styles
/// eam (funcfl, with its mixing rule), eam/alloy (setfl) and eam/fs (Finnis–Sinclair).
/// Table k holds the value at grid point k (ρ = k·drho or r = k·dr), k = 0 ..< nrho or nr.
public struct EAMTables: Sendable, Equatable {
    public enum Style: String, Sendable {
        case funcfl
        case setfl
        case finnisSinclair
    }

    public var style: Style
    public var elements: [String]
    public var masses: [Double]
    public var nrho: Int
    public var drho: Double
    public var nr: Int
    public var dr: Double
    /// Interaction cutoff (Å); pairs interact when r² < cutoff².
    public var cutoff: Double
    /// Above this density F is extrapolated linearly. For setfl/fs it is (nrho−1)·drho; for funcfl it
    /// is the largest (nrho−1)·drho of the files, which can exceed the mixed grid's end (see `init(funcfl:)`).
    public var rhomax: Double
    /// F_e(ρ), one table per element (eV).
    public var embedding: [[Double]]
    /// ρ tables, at `densityTableIndex(source:target:)`.
    public var density: [[Double]]
    /// r·φ(r) per unordered element pair (eV·Å), at `pairIndex(a, b)`.
    public var z2r: [[Double]]

    /// The ρ table for density produced by a `source` atom at a `target` atom.
    /// funcfl and setfl: depends on the source only; Finnis–Sinclair: on both.
    public func densityTableIndex(source: Int, target: Int) -> Int {
        style == .finnisSinclair ? source * elements.count + target : source
    }

    /// Lower-triangular index of an unordered pair: (0,0)=0, (1,0)=1, (1,1)=2, (2,0)=3, …
    /// (LAMMPS's type2z2r numbering).
    public static func pairIndex(_ a: Int, _ b: Int) -> Int {
        let (high, low) = a >= b ? (a, b) : (b, a)
        return high * (high + 1) / 2 + low
    }

    public func elementIndex(of symbol: String) -> Int? {
        elements.firstIndex(of: symbol)
    }

    public init(style: Style, elements: [String], masses: [Double], nrho: Int, drho: Double, nr: Int, dr: Double,
                cutoff: Double, rhomax: Double, embedding: [[Double]], density: [[Double]], z2r: [[Double]]) {
        self.style = style; self.elements = elements; self.masses = masses
        self.nrho = nrho; self.drho = drho; self.nr = nr; self.dr = dr
        self.cutoff = cutoff; self.rhomax = rhomax
        self.embedding = embedding; self.density = density; self.z2r = z2r
    }
}
