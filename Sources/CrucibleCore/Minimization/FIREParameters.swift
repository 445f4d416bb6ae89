/// Parameters of FIRE (Bitzek, Koskinen, Gähler, Moseler & Gumbsch, PRL 97, 170201 (2006)); the
/// defaults are the paper's and ASE's. Every degree of freedom has unit mass, so the time is fictitious:
/// a step moves a coordinate by dt·v with v += dt·f, i.e. dt² is in Å²/eV.
public struct FIREParameters: Equatable, Sendable {
    /// First time step and largest time step.
    public var dtStart = 0.1
    public var dtMax = 1.0
    /// Steps with P = f·v > 0 before dt may grow and α shrink.
    public var nMin = 5
    /// dt growth and cut factors.
    public var fInc = 1.1
    public var fDec = 0.5
    /// Mixing of the velocity towards the force: start value and decay factor.
    public var alphaStart = 0.1
    public var fAlpha = 0.99
    /// Largest displacement of any atom (and any cell coordinate) in one step, Å.
    public var maxStep = 0.2

    public init() {}
}
