/// The saved state of a run as named arrays: what every stateful component writes and reads back.
/// Kept free of any file format (CrucibleIO stores it in HDF5), so saving and restoring are exact.
public struct CheckpointRecord: Equatable, Sendable {
    public var doubles: [String: [Double]] = [:]
    public var integers: [String: [Int64]] = [:]
    public var strings: [String: String] = [:]

    public init() {}

    public func doubles(_ key: String) throws -> [Double] {
        guard let value = doubles[key] else { throw CheckpointError.missing(key) }
        return value
    }

    public func integers(_ key: String) throws -> [Int64] {
        guard let value = integers[key] else { throw CheckpointError.missing(key) }
        return value
    }

    public func integer(_ key: String) throws -> Int64 {
        let values = try integers(key)
        guard values.count == 1 else { throw CheckpointError.malformed(key, "expected one value, found \(values.count)") }
        return values[0]
    }

    public func double(_ key: String) throws -> Double {
        let values = try doubles(key)
        guard values.count == 1 else { throw CheckpointError.malformed(key, "expected one value, found \(values.count)") }
        return values[0]
    }

    public func string(_ key: String) throws -> String {
        guard let value = strings[key] else { throw CheckpointError.missing(key) }
        return value
    }
}

public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    case missing(String)
    case malformed(String, String)

    public var description: String {
        switch self {
        case .missing(let key): return "the checkpoint has no '\(key)'"
        case .malformed(let key, let why): return "the checkpoint's '\(key)' is malformed: \(why)"
        }
    }
}

/// Every stateful component saves and restores its whole state through this one protocol, so a
/// component added later cannot be forgotten by a restart without its author noticing.
public protocol Checkpointable {
    func save(into record: inout CheckpointRecord, as prefix: String)
    init(from record: CheckpointRecord, as prefix: String) throws
}
