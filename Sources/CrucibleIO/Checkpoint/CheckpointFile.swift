import CHDF5
import CrucibleCore
import Foundation

/// A `CheckpointRecord` in an HDF5 file: groups /doubles, /integers and /strings hold one 1-D dataset
/// per key ('/' in keys becomes '.'). Written to a temporary file, flushed, fsynced and renamed, so
/// the file at `path` is always either the previous checkpoint or the new one, whole.
public enum CheckpointFile {
    static let groups = ["doubles", "integers", "strings"]

    public static func write(_ record: CheckpointRecord, to path: String) throws {
        let temporary = path + ".tmp"
        let ctx = H5Context(path: path)
        try withHDF5 {
            let dflt = crucible_h5p_default()
            let file = try ctx.handle(H5Fcreate(temporary, crucible_h5f_acc_trunc(), dflt, dflt), .file, "H5Fcreate", "/")
            for group in groups { _ = try ctx.createGroup(file.id, "/" + group).close() }
            for (key, values) in record.doubles {
                try writeDataset(file.id, "/doubles/" + name(key), values, type: crucible_h5t_native_double(), ctx)
            }
            for (key, values) in record.integers {
                try writeDataset(file.id, "/integers/" + name(key), values, type: crucible_h5t_native_int64(), ctx)
            }
            for (key, text) in record.strings {
                try writeDataset(file.id, "/strings/" + name(key), Array(text.utf8).map(Int64.init), type: crucible_h5t_native_int64(), ctx)
            }
            try ctx.check(H5Fflush(file.id, H5F_SCOPE_GLOBAL), "H5Fflush", "/")
            try ctx.check(file.close(), "H5Fclose", "/")
        }
        // Make the bytes durable before the rename makes them the checkpoint.
        let fd = open(temporary, O_RDONLY)
        if fd >= 0 { fsync(fd); close(fd) }
        guard rename(temporary, path) == 0 else {
            throw InputError(file: path, "cannot rename \(temporary) to the checkpoint: \(String(cString: strerror(errno)))")
        }
    }

    public static func read(_ path: String) throws -> CheckpointRecord {
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError(file: path, "no checkpoint to restart from (run without --restart first, or check output.checkpoint.file)")
        }
        let ctx = H5Context(path: path)
        return try withHDF5 {
            let file = try ctx.handle(H5Fopen(path, crucible_h5f_acc_rdonly(), crucible_h5p_default()), .file, "H5Fopen", "/")
            var record = CheckpointRecord()
            for child in try ctx.children(file.id, "/doubles") {
                let dataset = try ctx.openDataset(file.id, "/doubles/" + child)
                record.doubles[key(child)] = try ctx.readAll(dataset.id, child, memType: crucible_h5t_native_double(), zero: 0.0)
            }
            for child in try ctx.children(file.id, "/integers") {
                let dataset = try ctx.openDataset(file.id, "/integers/" + child)
                record.integers[key(child)] = try ctx.readAll(dataset.id, child, memType: crucible_h5t_native_int64(), zero: Int64(0))
            }
            for child in try ctx.children(file.id, "/strings") {
                let dataset = try ctx.openDataset(file.id, "/strings/" + child)
                let bytes = try ctx.readAll(dataset.id, child, memType: crucible_h5t_native_int64(), zero: Int64(0))
                guard bytes.allSatisfy({ (0...255).contains($0) }) else { throw ctx.invalid(child, "not a string") }
                record.strings[key(child)] = String(decoding: bytes.map { UInt8($0) }, as: UTF8.self)
            }
            return record
        }
    }

    static func name(_ key: String) -> String { key.replacingOccurrences(of: "/", with: ".") }
    static func key(_ name: String) -> String { name.replacingOccurrences(of: ".", with: "/") }

    private static func writeDataset<T>(_ file: hid_t, _ objectPath: String, _ values: [T], type: hid_t, _ ctx: H5Context) throws {
        var dims = [hsize_t(values.count)]
        let space = try ctx.handle(H5Screate_simple(1, &dims, nil), .dataspace, "H5Screate_simple", objectPath)
        let dflt = crucible_h5p_default()
        let dataset = try ctx.handle(H5Dcreate2(file, objectPath, type, space.id, dflt, dflt, dflt), .dataset, "H5Dcreate2", objectPath)
        if !values.isEmpty {
            try values.withUnsafeBytes { bytes in
                let all = crucible_h5s_all()
                try ctx.check(H5Dwrite(dataset.id, type, all, all, dflt, bytes.baseAddress), "H5Dwrite", objectPath)
            }
        }
        try ctx.check(dataset.close(), "H5Dclose", objectPath)
        try ctx.check(space.close(), "H5Sclose", objectPath)
    }
}
