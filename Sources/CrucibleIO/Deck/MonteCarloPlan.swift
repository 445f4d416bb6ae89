/// Monte Carlo moves made between MD steps, in every replica (`monte_carlo` block).
public struct MonteCarloPlan: Sendable, Equatable {
    /// A value per element, in deck order (kept as a list so its text form is stable).
    public struct ElementValue: Sendable, Equatable {
        public var symbol: String
        public var value: Double
        public init(_ symbol: String, _ value: Double) { self.symbol = symbol; self.value = value }
    }

    /// Canonical atom swaps.
    public struct SwapPlan: Sendable, Equatable {
        public var every: Int               // MD steps ≥ 1 between calls (default 1)
        public var attempts: Int            // trials per call ≥ 1 (default 1)
        public var pairs: [[String]]?       // allowed element pairs; nil: every pair of the system's elements
        public var checkEvery: Int          // ≥ 0: compare with a full evaluation every that many trials; 0 off (default)
        public init(every: Int, attempts: Int, pairs: [[String]]?, checkEvery: Int) {
            self.every = every; self.attempts = attempts; self.pairs = pairs; self.checkEvery = checkEvery
        }
    }

    /// Semi-grand canonical transmutations, optionally variance-constrained.
    public struct SemiGrandPlan: Sendable, Equatable {
        public var every: Int               // default 1
        public var attempts: Int            // default 1
        public var chemicalPotentials: [ElementValue]   // eV, ≥ 2 elements
        public var kappa: Double?           // eV ≥ 0: variance constraint strength; nil: plain semi-grand
        public var concentrations: [ElementValue]        // target fractions of the constrained elements
        public var checkEvery: Int          // default 0
        public init(every: Int, attempts: Int, chemicalPotentials: [ElementValue], kappa: Double?,
                    concentrations: [ElementValue], checkEvery: Int) {
            self.every = every; self.attempts = attempts; self.chemicalPotentials = chemicalPotentials
            self.kappa = kappa; self.concentrations = concentrations; self.checkEvery = checkEvery
        }
    }

    public var swap: SwapPlan?
    public var semiGrand: SemiGrandPlan?

    public init(swap: SwapPlan?, semiGrand: SemiGrandPlan?) { self.swap = swap; self.semiGrand = semiGrand }

    /// Every element the moves name (a semi-grand move may create elements absent at the start).
    public var elements: [String] {
        var names = (swap?.pairs ?? []).flatMap { $0 }
        names += semiGrand?.chemicalPotentials.map(\.symbol) ?? []
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }
}
