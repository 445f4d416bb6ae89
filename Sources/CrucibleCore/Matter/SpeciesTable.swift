/// The species present in a configuration, indexed by the per-atom species index: each has a label
/// (what outputs, Monte Carlo moves and per-species columns call it), the chemical element the
/// potentials see, and a mass. A plain species is labelled by its element symbol; an isotope
/// (deuterium as "D", element H) is a species of its own, with its own mass and the element's
/// interactions.
public struct SpeciesTable: Equatable, Sendable {
    /// Labels: element symbols, or an isotope's label.
    public private(set) var symbols: [String]
    /// The element of each species (equal to its label unless it is an isotope).
    public private(set) var elements: [String]
    /// amu
    public private(set) var masses: [Double]

    public init() { symbols = []; elements = []; masses = [] }

    public var count: Int { symbols.count }

    /// True when some species is an isotope label (its label differs from its element).
    public var hasIsotopes: Bool { symbols != elements }

    public func index(of symbol: String) -> Int? { symbols.firstIndex(of: symbol) }

    /// Index of `symbol`, adding it with its standard mass if absent. Returns nil for unknown symbols.
    public mutating func add(_ symbol: String) -> Int? {
        if let index = index(of: symbol) { return index }
        guard let element = Element(symbol: symbol) else { return nil }
        symbols.append(symbol)
        elements.append(symbol)
        masses.append(element.mass)
        return symbols.count - 1
    }

    /// Index of the isotope `label` of `element` with `mass` amu, adding it if absent. Nil when
    /// `element` is not an element, or `label` already names a species of another element or mass.
    public mutating func addIsotope(_ label: String, element: String, mass: Double) -> Int? {
        if let index = index(of: label) {
            return elements[index] == element && masses[index] == mass ? index : nil
        }
        guard Element(symbol: element) != nil, !label.isEmpty else { return nil }
        symbols.append(label)
        elements.append(element)
        masses.append(mass)
        return symbols.count - 1
    }

    public mutating func setMass(_ mass: Double, for symbol: String) {
        if let index = index(of: symbol) { masses[index] = mass }
    }
}
