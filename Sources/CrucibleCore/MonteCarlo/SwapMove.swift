/// Canonical atom swap: exchanges the species of two atoms of different species, the composition
/// staying fixed. The pair of species is drawn uniformly among the allowed pairs that have atoms of
/// both species, then one atom of each; a swap leaves the counts, hence the proposal probability,
/// unchanged, so the proposal is symmetric.
public struct SwapMove: SpeciesMove {
    public let name = "swap"
    /// Unordered pairs of species indices that may be swapped (a ≠ b).
    public let pairs: [(Int, Int)]

    public init(pairs: [(Int, Int)]) {
        precondition(pairs.allSatisfy { $0.0 != $0.1 })
        self.pairs = pairs
    }

    /// Every pair of distinct species of `table`.
    public init(allPairsOf table: SpeciesTable) {
        var pairs: [(Int, Int)] = []
        for a in 0..<table.count { for b in (a + 1)..<max(a + 1, table.count) { pairs.append((a, b)) } }
        self.init(pairs: pairs)
    }

    public func propose(index: SpeciesIndex, random: inout RandomStream)
        -> (change: Evaluator.SpeciesChange, extraCost: Double)? {
        var eligible = 0
        for (a, b) in pairs where index.count(of: a) > 0 && index.count(of: b) > 0 { eligible += 1 }
        guard eligible > 0 else { return nil }
        var pick = random.index(below: eligible)
        for (a, b) in pairs where index.count(of: a) > 0 && index.count(of: b) > 0 {
            if pick == 0 {
                let i = index.randomAtom(of: a, &random), j = index.randomAtom(of: b, &random)
                var change = Evaluator.SpeciesChange(atom: i, to: Int32(b))
                change.second = (j, Int32(a))
                return (change, 0)
            }
            pick -= 1
        }
        return nil
    }
}
