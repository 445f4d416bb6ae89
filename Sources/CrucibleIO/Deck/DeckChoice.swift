/// A keyword setting (`kind: fcc`) whose allowed spellings are the enum's raw values.
protocol DeckChoice: RawRepresentable, CaseIterable where RawValue == String {
    /// What the keyword names, for messages: "lattice kind".
    static var choiceName: String { get }
}

extension DeckChoice {
    static var spellings: [String] { allCases.map(\.rawValue) }
}
