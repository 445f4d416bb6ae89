/// The species present in a configuration: symbol and mass of each, indexed by the per-atom species index.
public struct SpeciesTable: Equatable, Sendable {
    public private(set) var symbols: [String]
    /// amu
    public private(set) var masses: [Double]

    public init() { symbols = []; masses = [] }

    public var count: Int { symbols.count }

    public func index(of symbol: String) -> Int? { symbols.firstIndex(of: symbol) }

    /// Index of `symbol`, adding it with its standard mass if absent. Returns nil for unknown symbols.
    public mutating func add(_ symbol: String) -> Int? {
        if let index = index(of: symbol) { return index }
        guard let element = Element(symbol: symbol) else { return nil }
        symbols.append(symbol)
        masses.append(element.mass)
        return symbols.count - 1
    }

    public mutating func setMass(_ mass: Double, for symbol: String) {
        if let index = index(of: symbol) { masses[index] = mass }
    }
}
