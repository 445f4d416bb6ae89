/// An error in something the user gave us: a deck, a structure file, a potential file.
/// It always says where (file, line, column when known, key when known) and what to do.
public struct InputError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var key: String?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, key: String? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let line, let column, line > 0 { place += ":\(column)" }
        if let key { place += ": '\(key)'" }
        return "\(place): \(message)"
    }
}
