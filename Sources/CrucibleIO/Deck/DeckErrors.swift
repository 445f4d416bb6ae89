import CrucibleCore

/// Every problem found in a deck, sorted by position, so the user can fix them in one pass.
public struct DeckErrors: Error, CustomStringConvertible, Sendable, Equatable {
    public var errors: [InputError]

    public init(_ errors: [InputError]) {
        self.errors = errors
    }

    /// One error per line, in the order they appear in the deck.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
