/// EAM tables turned into LAMMPS's cubic splines, laid out flat for a force loop.
/// The evaluators repeat LAMMPS's arithmetic in the same order (pair_eam.cpp `compute`), so a
/// Crucible EAM run can match LAMMPS to the last bit given the same neighbour summation order.
///
/// Typical loop: `let t = splines.densityTable(source: sj, target: si)`, `rho[i] += splines.density(t, r)`;
/// `let (F, dF) = splines.embedding(si, rho[i])`; `let (phi, dphi) = splines.pairPhi(splines.pairTable(si, sj), r)`.
public struct EAMSplines: Sendable {
    public let elements: [String]
    public let nr: Int
    public let nrho: Int
    /// 1/dr and 1/drho.
    public let rdr: Double
    public let rdrho: Double
    /// Above this density F is continued linearly (LAMMPS).
    public let rhomax: Double
    public let cutoff: Double
    /// Pairs interact when r² < cutoffSquared (LAMMPS's cutforcesq).
    public let cutoffSquared: Double
    /// Coefficient counts per table: 7·(nr+1) and 7·(nrho+1). Knot m's 7 coefficients start at
    /// table offset + 7·m (slot 0 unused), so the evaluators index with LAMMPS's m directly.
    public let rTableStride: Int
    public let rhoTableStride: Int
    /// F splines, element e at e·rhoTableStride.
    public let embeddingCoefficients: [Double]
    /// ρ splines, table t at t·rTableStride.
    public let densityCoefficients: [Double]
    /// r·φ splines, table t at t·rTableStride.
    public let pairCoefficients: [Double]
    /// ρ table for [source·N + target]; r·φ table for [a·N + b].
    public let densityTableForPair: [Int]
    public let pairTableForPair: [Int]

    public init(_ tables: EAMTables) {
        let n = tables.elements.count
        elements = tables.elements
        nr = tables.nr
        nrho = tables.nrho
        rdr = 1.0 / tables.dr
        rdrho = 1.0 / tables.drho
        rhomax = tables.rhomax
        cutoff = tables.cutoff
        cutoffSquared = tables.cutoff * tables.cutoff
        rTableStride = EAMSplineFit.stride * (tables.nr + 1)
        rhoTableStride = EAMSplineFit.stride * (tables.nrho + 1)
        embeddingCoefficients = tables.embedding.flatMap { EAMSplineFit.coefficients($0, delta: tables.drho) }
        densityCoefficients = tables.density.flatMap { EAMSplineFit.coefficients($0, delta: tables.dr) }
        pairCoefficients = tables.z2r.flatMap { EAMSplineFit.coefficients($0, delta: tables.dr) }
        densityTableForPair = (0..<(n * n)).map { tables.densityTableIndex(source: $0 / n, target: $0 % n) }
        pairTableForPair = (0..<(n * n)).map { EAMTables.pairIndex($0 / n, $0 % n) }
    }

    /// The ρ table for density produced by a `source` atom at a `target` atom.
    @inlinable
    public func densityTable(source: Int, target: Int) -> Int {
        densityTableForPair[source * elements.count + target]
    }

    /// The r·φ table for an element pair (symmetric).
    @inlinable
    public func pairTable(_ a: Int, _ b: Int) -> Int {
        pairTableForPair[a * elements.count + b]
    }

    /// LAMMPS's r → (knot m, fraction p): p = r·rdr + 1; m = min(int(p), nr−1); p = min(p − m, 1).
    /// Written so that NaN or huge r land on the last knot instead of trapping in Int().
    @inline(__always)
    public func rKnot(_ r: Double) -> (m: Int, p: Double) {
        var p = r * rdr + 1.0
        let m = p < Double(nr - 1) ? (p > 0 ? Int(p) : 0) : nr - 1
        p -= Double(m)
        p = p < 1.0 ? p : 1.0
        return (m, p)
    }

    // The spline formulas, written once: every loop and query below evaluates through these.

    /// Value of the cubic whose 7 coefficients start at `k + c` (slots 3…6), at fraction p.
    @inline(__always)
    @usableFromInline static func value(_ k: UnsafePointer<Double>, _ c: Int, _ p: Double) -> Double {
        ((k[c + 3] * p + k[c + 4]) * p + k[c + 5]) * p + k[c + 6]
    }

    /// Derivative (per unit of the tabulated variable) of that cubic, from slots 0…2.
    @inline(__always)
    @usableFromInline static func slope(_ k: UnsafePointer<Double>, _ c: Int, _ p: Double) -> Double {
        (k[c] * p + k[c + 1]) * p + k[c + 2]
    }

    /// φ(r) and φ'(r) from the r·φ spline, as LAMMPS: recip = 1/r; φ = z2·recip; φ' = z2'·recip − φ·recip.
    @inline(__always)
    @usableFromInline static func pair(_ z: UnsafePointer<Double>, _ c: Int, _ p: Double, recip: Double) -> (phi: Double, dphi: Double) {
        let phi = value(z, c, p) * recip
        return (phi, slope(z, c, p) * recip - phi * recip)
    }

    /// ρ produced at distance r, from table `table`.
    @inlinable
    public func density(_ table: Int, _ r: Double) -> Double {
        let (m, p) = rKnot(r)
        return densityCoefficients.withUnsafeBufferPointer { Self.value($0.baseAddress!, table * rTableStride + 7 * m, p) }
    }

    /// dρ/dr at distance r, from table `table`.
    @inlinable
    public func densityDerivative(_ table: Int, _ r: Double) -> Double {
        let (m, p) = rKnot(r)
        return densityCoefficients.withUnsafeBufferPointer { Self.slope($0.baseAddress!, table * rTableStride + 7 * m, p) }
    }

    /// ρ → (offset of the knot's coefficients in `element`'s F table, fraction p), as LAMMPS:
    /// m = max(1, min(int(p), nrho−1)) (without Int() of NaN or huge values), p = min(p − m, 1).
    @inline(__always)
    func rhoKnot(_ element: Int, _ rho: Double) -> (c: Int, p: Double) {
        var p = rho * rdrho + 1.0
        let m = p < Double(nrho - 1) ? (p < 2.0 ? 1 : Int(p)) : nrho - 1
        p -= Double(m)
        p = p < 1.0 ? p : 1.0
        return (element * rhoTableStride + 7 * m, p)
    }

    /// F(ρ) and F'(ρ) of `element`. Knot clamped to [1, nrho−1] as LAMMPS does; above rhomax the
    /// energy gets the linear term F'(ρ)·(ρ − rhomax) (LAMMPS's energy-conserving extrapolation;
    /// F' itself is the spline's end slope).
    @inline(__always)
    public func embedding(_ element: Int, _ rho: Double) -> (F: Double, dF: Double) {
        let (c, p) = rhoKnot(element, rho)
        return embeddingCoefficients.withUnsafeBufferPointer { kb in
            let k = kb.baseAddress!
            let dF = Self.slope(k, c, p)
            var F = Self.value(k, c, p)
            if rho > rhomax { F += dF * (rho - rhomax) }
            return (F, dF)
        }
    }

    /// F(ρ) of `element` alone (Monte Carlo needs no slope): the same knot, clamp and extrapolation
    /// as `embedding`.
    @inline(__always)
    public func embeddingEnergy(_ element: Int, _ rho: Double) -> Double {
        let (c, p) = rhoKnot(element, rho)
        return embeddingCoefficients.withUnsafeBufferPointer { kb in
            let k = kb.baseAddress!
            let F = Self.value(k, c, p)
            return rho > rhomax ? F + Self.slope(k, c, p) * (rho - rhomax) : F
        }
    }

    /// φ(r) and φ'(r) of the pair table `table`.
    @inlinable
    public func pairPhi(_ table: Int, _ r: Double) -> (phi: Double, dphi: Double) {
        let (m, p) = rKnot(r)
        return pairCoefficients.withUnsafeBufferPointer { Self.pair($0.baseAddress!, table * rTableStride + 7 * m, p, recip: 1.0 / r) }
    }
}
