#if canImport(CrucibleCore)
import CrucibleCore
#endif

extension EAMTables {
    /// `pair_style eam` with one funcfl file per element (`elements[i]` names `files[i]`, since
    /// funcfl files carry no symbol). Reproduces LAMMPS's file2array, operation for operation:
    /// - common grid: dr = max dr, drho = max drho, rmax = max (nr−1)·dr, rhomax = max (nrho−1)·drho,
    ///   nr = round(rmax/dr), nrho = round(rhomax/drho) — for a single file that is one point
    ///   fewer than the file has;
    /// - every F, ρ and Z table is moved onto that grid with LAMMPS's 4-point Lagrange formula;
    /// - r·φ for elements i ≥ j is 27.2·0.529·Z_i(r)·Z_j(r) (Hartree·Bohr → eV·Å), the geometric
    ///   mixing of effective charges, evaluated in that order so the rounding matches;
    /// - cutoff = max of the files' cutoffs; rhomax stays the files' maximum, not the grid end.
    public init(funcfl files: [FuncflFile], elements: [String]) throws {
        let place = "funcfl files"
        guard !files.isEmpty else { throw InputError(file: place, "no funcfl file given") }
        guard elements.count == files.count else {
            throw InputError(file: place, key: "elements",
                             "\(files.count) funcfl file(s) need \(files.count) element symbol(s), got \(elements.count)")
        }
        for (index, symbol) in elements.enumerated() where elements.firstIndex(of: symbol) != index {
            throw InputError(file: place, key: symbol, "element \(symbol) is given twice")
        }

        var dr = 0.0, drho = 0.0, rmax = 0.0, rhomax = 0.0
        for file in files {
            dr = max(dr, file.dr)
            drho = max(drho, file.drho)
            rmax = max(rmax, Double(file.nr - 1) * file.dr)
            rhomax = max(rhomax, Double(file.nrho - 1) * file.drho)
        }
        let nr = Int((rmax / dr).rounded(.toNearestOrAwayFromZero))  // C's lround
        let nrho = Int((rhomax / drho).rounded(.toNearestOrAwayFromZero))

        let charges = files.map { LagrangeRegrid.regrid($0.effectiveCharge, spacing: $0.dr, count: nr, newSpacing: dr) }
        var z2r: [[Double]] = []
        for i in 0..<files.count {
            for j in 0...i {
                let zi = charges[i], zj = charges[j]
                z2r.append((0..<nr).map { m in 27.2 * 0.529 * zi[m] * zj[m] })
            }
        }

        let embedding = files.map {
            LagrangeRegrid.regrid($0.embedding, spacing: $0.drho, count: nrho, newSpacing: drho)
        }
        let density = files.map { LagrangeRegrid.regrid($0.density, spacing: $0.dr, count: nr, newSpacing: dr) }
        self.init(style: .funcfl, elements: elements, masses: files.map(\.mass), nrho: nrho, drho: drho, nr: nr, dr: dr,
                  cutoff: files.map(\.cutoff).max() ?? 0, rhomax: rhomax, embedding: embedding, density: density, z2r: z2r)
    }
}

/// LAMMPS's 4-point Lagrange interpolation of a tabulated function onto another uniform grid
/// starting at 0. Past the table's end it extrapolates with the last four points (p capped at 2).
enum LagrangeRegrid {
    static func regrid(_ values: [Double], spacing: Double, count: Int, newSpacing: Double) -> [Double] {
        let sixth = 1.0 / 6.0
        let n = values.count  // >= 4, checked when the file was read
        var result: [Double] = []
        result.reserveCapacity(count)
        for m in 0..<count {
            let x = Double(m) * newSpacing
            var p = x / spacing + 1.0
            // k = max(min(int(p), n−2), 2), without converting huge p to Int.
            var k = p < Double(n - 2) ? Int(p) : n - 2
            k = max(k, 2)
            p -= Double(k)
            p = p < 2.0 ? p : 2.0
            let cof1 = -sixth * p * (p - 1.0) * (p - 2.0)
            let cof2 = 0.5 * (p * p - 1.0) * (p - 2.0)
            let cof3 = -0.5 * p * (p + 1.0) * (p - 2.0)
            let cof4 = sixth * p * (p * p - 1.0)
            // values is 0-based; LAMMPS's 1-based f[k-1] … f[k+2] are values[k-2] … values[k+1].
            result.append(cof1 * values[k - 2] + cof2 * values[k - 1] + cof3 * values[k] + cof4 * values[k + 1])
        }
        return result
    }
}
