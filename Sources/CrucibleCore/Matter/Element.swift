/// A chemical element: symbol, atomic number and standard atomic mass.
public struct Element: Hashable, Sendable {
    public let atomicNumber: Int
    public var symbol: String { Element.table[atomicNumber - 1].symbol }
    /// Standard atomic mass (IUPAC 2016, as ASE), amu.
    public var mass: Double { Element.table[atomicNumber - 1].mass }

    public init?(symbol: String) {
        guard let z = Element.numberBySymbol[symbol] else { return nil }
        atomicNumber = z
    }

    public init?(atomicNumber: Int) {
        guard (1...Element.table.count).contains(atomicNumber) else { return nil }
        self.atomicNumber = atomicNumber
    }

    static let numberBySymbol: [String: Int] = {
        var map: [String: Int] = [:]
        for (index, entry) in table.enumerated() { map[entry.symbol] = index + 1 }
        return map
    }()

    public static var allSymbols: [String] { table.map(\.symbol) }
}
