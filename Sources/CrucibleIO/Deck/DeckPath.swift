/// Where a value sits in the deck's tree, printed as `md.thermostat.langevin.damping`
/// or `potential[1].lj.pairs[0].sigma`.
struct DeckPath: CustomStringConvertible, Sendable, Equatable {
    enum Component: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    private(set) var components: [Component] = []

    static let root = DeckPath()

    var isRoot: Bool { components.isEmpty }

    func appending(_ key: String) -> DeckPath {
        var copy = self
        copy.components.append(.key(key))
        return copy
    }

    func appending(index: Int) -> DeckPath {
        var copy = self
        copy.components.append(.index(index))
        return copy
    }

    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key): text += text.isEmpty ? key : "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    /// The name used in messages: "the top level" for the root, else the quoted path.
    var spoken: String {
        isRoot ? "the top level" : "'\(description)'"
    }
}
