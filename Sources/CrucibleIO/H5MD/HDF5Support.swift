import CrucibleCore
import CHDF5
import Foundation

// Thin, internal helpers over the HDF5 C API: owned handles, error capture and the few dataset /
// attribute operations the H5MD writer and reader need. Nothing here is public.

/// Serialises every HDF5 call made by CrucibleIO. Debian's libhdf5 is built thread-safe, but other
/// builds (e.g. Homebrew's) are not, and Swift Testing runs tests concurrently.
private let hdf5Lock = NSRecursiveLock()

/// Runs `body` holding the HDF5 lock, with HDF5's automatic error printing turned off for this
/// thread (errors are collected from the error stack and thrown instead).
@inline(__always)
func withHDF5<T>(_ body: () throws -> T) rethrows -> T {
    hdf5Lock.lock()
    defer { hdf5Lock.unlock() }
    _ = H5Eset_auto2(crucible_h5e_default(), nil, nil)
    return try body()
}

/// The HDF5 error stack of this thread, innermost call last, as one line; clears the stack.
func hdf5ErrorStackDescription() -> String {
    final class Lines { var items: [String] = [] }
    let lines = Lines()
    let stack = H5Eget_current_stack()
    guard stack >= 0 else { return "" }
    defer { _ = H5Eclose_stack(stack) }
    _ = H5Ewalk2(stack, H5E_WALK_DOWNWARD, { _, entry, context in
        guard let entry, let context else { return 0 }
        let lines = Unmanaged<Lines>.fromOpaque(context).takeUnretainedValue()
        var text = ""
        if let function = entry.pointee.func_name { text += String(cString: function) }
        var minor = [CChar](repeating: 0, count: 256)
        if H5Eget_msg(entry.pointee.min_num, nil, &minor, minor.count) > 0 {
            text += ": " + string(fromCBuffer: minor)
        }
        if let desc = entry.pointee.desc, desc.pointee != 0 { text += " (" + String(cString: desc) + ")" }
        lines.items.append(text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " "))
        return 0
    }, Unmanaged.passUnretained(lines).toOpaque())
    return lines.items.joined(separator: " <- ")
}

/// The NUL-terminated UTF-8 string in a C character buffer.
func string(fromCBuffer buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}

/// An owned HDF5 identifier, closed exactly once (explicitly or on deinit).
final class H5Handle {
    enum Kind { case file, group, dataset, dataspace, datatype, attribute, propertyList, object }
    let id: hid_t
    let kind: Kind
    private(set) var isOpen = true

    init(_ id: hid_t, _ kind: Kind) {
        self.id = id
        self.kind = kind
    }

    @discardableResult
    func close() -> herr_t {
        guard isOpen else { return 0 }
        isOpen = false
        return withHDF5 {
            switch kind {
            case .file: return H5Fclose(id)
            case .group: return H5Gclose(id)
            case .dataset: return H5Dclose(id)
            case .dataspace: return H5Sclose(id)
            case .datatype: return H5Tclose(id)
            case .attribute: return H5Aclose(id)
            case .propertyList: return H5Pclose(id)
            case .object: return H5Oclose(id)
            }
        }
    }

    deinit { close() }
}

/// Error construction for one HDF5 file: every failure names the file, the object inside it and
/// the HDF5 call, plus whatever HDF5 put on its error stack.
struct H5Context {
    let path: String

    func error(_ call: String, _ object: String, _ detail: String? = nil) -> InputError {
        let stack = hdf5ErrorStackDescription()
        var message = "\(call) failed"
        if let detail { message += ": \(detail)" }
        if !stack.isEmpty { message += " [HDF5: \(stack)]" }
        return InputError(file: path, key: object, message)
    }

    func invalid(_ object: String, _ message: String) -> InputError {
        InputError(file: path, key: object, message)
    }

    func check(_ status: herr_t, _ call: String, _ object: String) throws {
        if status < 0 { throw error(call, object) }
    }

    func check(_ status: htri_t, truth call: String, _ object: String) throws -> Bool {
        if status < 0 { throw error(call, object) }
        return status > 0
    }

    func handle(_ id: hid_t, _ kind: H5Handle.Kind, _ call: String, _ object: String) throws -> H5Handle {
        if id < 0 { throw error(call, object) }
        return H5Handle(id, kind)
    }

    // MARK: Links and groups

    /// Whether every component of the absolute `objectPath` exists (H5Lexists needs the parents).
    func exists(_ location: hid_t, _ objectPath: String) throws -> Bool {
        var prefix = ""
        for component in objectPath.split(separator: "/") {
            prefix += "/" + component
            let found = try check(H5Lexists(location, prefix, crucible_h5p_default()), truth: "H5Lexists", prefix)
            if !found { return false }
        }
        return true
    }

    func createGroup(_ location: hid_t, _ objectPath: String) throws -> H5Handle {
        let dflt = crucible_h5p_default()
        return try handle(H5Gcreate2(location, objectPath, dflt, dflt, dflt), .group, "H5Gcreate2", objectPath)
    }

    func openGroup(_ location: hid_t, _ objectPath: String) throws -> H5Handle {
        try handle(H5Gopen2(location, objectPath, crucible_h5p_default()), .group, "H5Gopen2", objectPath)
    }

    func openDataset(_ location: hid_t, _ objectPath: String) throws -> H5Handle {
        try handle(H5Dopen2(location, objectPath, crucible_h5p_default()), .dataset, "H5Dopen2", objectPath)
    }

    /// Names of the links directly inside a group, in name order.
    func children(_ location: hid_t, _ groupPath: String) throws -> [String] {
        var info = H5G_info_t()
        try check(H5Gget_info_by_name(location, groupPath, &info, crucible_h5p_default()), "H5Gget_info_by_name", groupPath)
        var names: [String] = []
        for index in 0..<info.nlinks {
            let length = H5Lget_name_by_idx(location, groupPath, H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, crucible_h5p_default())
            if length < 0 { throw error("H5Lget_name_by_idx", groupPath) }
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            if H5Lget_name_by_idx(location, groupPath, H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, crucible_h5p_default()) < 0 {
                throw error("H5Lget_name_by_idx", groupPath)
            }
            names.append(string(fromCBuffer: buffer))
        }
        return names
    }

    func objectType(_ location: hid_t, _ objectPath: String) throws -> H5I_type_t {
        let object = try handle(H5Oopen(location, objectPath, crucible_h5p_default()), .object, "H5Oopen", objectPath)
        return H5Iget_type(object.id)
    }

    // MARK: Attributes

    private func stringType(size: Int, cset: H5T_cset_t, object: String) throws -> H5Handle {
        let type = try handle(H5Tcopy(crucible_h5t_c_s1()), .datatype, "H5Tcopy", object)
        try check(H5Tset_size(type.id, size), "H5Tset_size", object)
        try check(H5Tset_cset(type.id, cset), "H5Tset_cset", object)
        if size != crucible_h5t_variable() { try check(H5Tset_strpad(type.id, H5T_STR_NULLTERM), "H5Tset_strpad", object) }
        return type
    }

    private static func charset(_ strings: [String]) -> H5T_cset_t {
        strings.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } } ? H5T_CSET_ASCII : H5T_CSET_UTF8
    }

    /// Fixed-length, NUL-terminated string attribute: scalar for one string, rank 1 for several
    /// (the H5MD spec asks fixed-length strings for author/creator/boundary).
    func writeFixedStringAttribute(_ object: hid_t, _ objectPath: String, _ name: String, _ values: [String], scalar: Bool) throws {
        let label = "\(objectPath)@\(name)"
        let width = (values.map { $0.utf8.count }.max() ?? 0) + 1
        let type = try stringType(size: width, cset: Self.charset(values), object: label)
        let space = try scalar
            ? handle(H5Screate(H5S_SCALAR), .dataspace, "H5Screate", label)
            : handle(H5Screate_simple(1, [hsize_t(values.count)], nil), .dataspace, "H5Screate_simple", label)
        var bytes = [UInt8](repeating: 0, count: width * values.count)
        for (index, value) in values.enumerated() {
            for (offset, byte) in value.utf8.enumerated() { bytes[index * width + offset] = byte }
        }
        let dflt = crucible_h5p_default()
        let attribute = try handle(H5Acreate2(object, name, type.id, space.id, dflt, dflt), .attribute, "H5Acreate2", label)
        try check(H5Awrite(attribute.id, type.id, bytes), "H5Awrite", label)
    }

    /// Variable-length UTF-8 scalar string attribute. Used for `unit`: h5py returns fixed-length
    /// strings as `bytes`, which MDAnalysis' H5MD reader cannot match against its unit table.
    func writeVariableStringAttribute(_ object: hid_t, _ objectPath: String, _ name: String, _ value: String) throws {
        let label = "\(objectPath)@\(name)"
        let type = try stringType(size: crucible_h5t_variable(), cset: H5T_CSET_UTF8, object: label)
        let space = try handle(H5Screate(H5S_SCALAR), .dataspace, "H5Screate", label)
        let dflt = crucible_h5p_default()
        let attribute = try handle(H5Acreate2(object, name, type.id, space.id, dflt, dflt), .attribute, "H5Acreate2", label)
        try value.withCString { pointer in
            var cString: UnsafePointer<CChar>? = pointer
            try check(H5Awrite(attribute.id, type.id, &cString), "H5Awrite", label)
        }
    }

    /// Integer attribute (stored as 32-bit little-endian), scalar or rank 1.
    func writeIntAttribute(_ object: hid_t, _ objectPath: String, _ name: String, _ values: [Int32], scalar: Bool) throws {
        let label = "\(objectPath)@\(name)"
        let space = try scalar
            ? handle(H5Screate(H5S_SCALAR), .dataspace, "H5Screate", label)
            : handle(H5Screate_simple(1, [hsize_t(values.count)], nil), .dataspace, "H5Screate_simple", label)
        let dflt = crucible_h5p_default()
        let attribute = try handle(H5Acreate2(object, name, crucible_h5t_std_i32le(), space.id, dflt, dflt), .attribute, "H5Acreate2", label)
        try check(H5Awrite(attribute.id, crucible_h5t_native_int32(), values), "H5Awrite", label)
    }

    func attributeExists(_ location: hid_t, _ objectPath: String, _ name: String) throws -> Bool {
        try check(H5Aexists_by_name(location, objectPath, name, crucible_h5p_default()), truth: "H5Aexists_by_name", "\(objectPath)@\(name)")
    }

    func readStringAttribute(_ location: hid_t, _ objectPath: String, _ name: String) throws -> [String] {
        let label = "\(objectPath)@\(name)"
        let dflt = crucible_h5p_default()
        let attribute = try handle(H5Aopen_by_name(location, objectPath, name, dflt, dflt), .attribute, "H5Aopen_by_name", label)
        let type = try handle(H5Aget_type(attribute.id), .datatype, "H5Aget_type", label)
        let space = try handle(H5Aget_space(attribute.id), .dataspace, "H5Aget_space", label)
        return try readStrings(fileType: type.id, space: space.id, label: label) { memType, buffer in
            H5Aread(attribute.id, memType, buffer)
        }
    }

    func readIntAttribute(_ location: hid_t, _ objectPath: String, _ name: String) throws -> [Int64] {
        let label = "\(objectPath)@\(name)"
        let dflt = crucible_h5p_default()
        let attribute = try handle(H5Aopen_by_name(location, objectPath, name, dflt, dflt), .attribute, "H5Aopen_by_name", label)
        let type = try handle(H5Aget_type(attribute.id), .datatype, "H5Aget_type", label)
        guard H5Tget_class(type.id) == H5T_INTEGER else { throw invalid(label, "attribute is not of integer type") }
        let space = try handle(H5Aget_space(attribute.id), .dataspace, "H5Aget_space", label)
        let count = H5Sget_simple_extent_npoints(space.id)
        if count < 0 { throw error("H5Sget_simple_extent_npoints", label) }
        var values = [Int64](repeating: 0, count: Int(count))
        try check(H5Aread(attribute.id, crucible_h5t_native_int64(), &values), "H5Aread", label)
        return values
    }

    /// Reads fixed- or variable-length strings (any count) through `read(memType, buffer)`.
    func readStrings(fileType: hid_t, space: hid_t, label: String,
                     read: (hid_t, UnsafeMutableRawPointer) -> herr_t) throws -> [String] {
        guard H5Tget_class(fileType) == H5T_STRING else { throw invalid(label, "not a string") }
        let count = Int(H5Sget_simple_extent_npoints(space))
        if count < 0 { throw error("H5Sget_simple_extent_npoints", label) }
        if count == 0 { return [] }
        let cset = H5Tget_cset(fileType)
        if try check(H5Tis_variable_str(fileType), truth: "H5Tis_variable_str", label) {
            let memType = try stringType(size: crucible_h5t_variable(), cset: cset, object: label)
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            try check(pointers.withUnsafeMutableBytes { read(memType.id, $0.baseAddress!) }, "H5Aread/H5Dread", label)
            defer { for pointer in pointers where pointer != nil { H5free_memory(pointer) } }
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
        let width = H5Tget_size(fileType)
        if width == 0 { throw error("H5Tget_size", label) }
        let memType = try handle(H5Tcopy(fileType), .datatype, "H5Tcopy", label)
        try check(H5Tset_order(memType.id, H5T_ORDER_NONE), "H5Tset_order", label)
        var bytes = [UInt8](repeating: 0, count: width * max(count, 1))
        try check(bytes.withUnsafeMutableBytes { read(memType.id, $0.baseAddress!) }, "H5Aread/H5Dread", label)
        let spacePadded = H5Tget_strpad(fileType) == H5T_STR_SPACEPAD
        return (0..<count).map { index in
            var slice = Array(bytes[(index * width)..<((index + 1) * width)])
            if let nul = slice.firstIndex(of: 0) { slice.removeSubrange(nul...) }
            if spacePadded { while slice.last == 0x20 { slice.removeLast() } }
            return String(decoding: slice, as: UTF8.self)
        }
    }

    // MARK: Datasets

    /// Time-independent int32[count] dataset (contiguous).
    func writeIntDataset(_ location: hid_t, _ objectPath: String, _ values: [Int32]) throws {
        let space = try handle(H5Screate_simple(1, [hsize_t(values.count)], nil), .dataspace, "H5Screate_simple", objectPath)
        let dflt = crucible_h5p_default()
        let dataset = try handle(H5Dcreate2(location, objectPath, crucible_h5t_std_i32le(), space.id, dflt, dflt, dflt),
                                 .dataset, "H5Dcreate2", objectPath)
        try check(H5Dwrite(dataset.id, crucible_h5t_native_int32(), crucible_h5s_all(), crucible_h5s_all(), dflt, values),
                  "H5Dwrite", objectPath)
    }

    /// Time-independent dataset of fixed-length, NUL-terminated strings (width of the longest + 1).
    func writeFixedStringDataset(_ location: hid_t, _ objectPath: String, _ values: [String]) throws {
        let width = (values.map { $0.utf8.count }.max() ?? 0) + 1
        let type = try stringType(size: width, cset: Self.charset(values), object: objectPath)
        let space = try handle(H5Screate_simple(1, [hsize_t(values.count)], nil), .dataspace, "H5Screate_simple", objectPath)
        var bytes = [UInt8](repeating: 0, count: width * values.count)
        for (index, value) in values.enumerated() {
            for (offset, byte) in value.utf8.enumerated() { bytes[index * width + offset] = byte }
        }
        let dflt = crucible_h5p_default()
        let dataset = try handle(H5Dcreate2(location, objectPath, type.id, space.id, dflt, dflt, dflt), .dataset, "H5Dcreate2", objectPath)
        try check(H5Dwrite(dataset.id, type.id, crucible_h5s_all(), crucible_h5s_all(), dflt, bytes), "H5Dwrite", objectPath)
    }

    /// Every string of a (fixed- or variable-length) string dataset.
    func readStringDataset(_ location: hid_t, _ objectPath: String) throws -> [String] {
        let dataset = try openDataset(location, objectPath)
        let type = try handle(H5Dget_type(dataset.id), .datatype, "H5Dget_type", objectPath)
        let space = try handle(H5Dget_space(dataset.id), .dataspace, "H5Dget_space", objectPath)
        let all = crucible_h5s_all()
        return try readStrings(fileType: type.id, space: space.id, label: objectPath) { memType, buffer in
            H5Dread(dataset.id, memType, all, all, crucible_h5p_default(), buffer)
        }
    }

    /// Current and maximum extents (`nil` = unlimited) of a dataset.
    func extents(_ dataset: hid_t, _ objectPath: String) throws -> (shape: [Int], maxShape: [Int?]) {
        let space = try handle(H5Dget_space(dataset), .dataspace, "H5Dget_space", objectPath)
        let rank = H5Sget_simple_extent_ndims(space.id)
        if rank < 0 { throw error("H5Sget_simple_extent_ndims", objectPath) }
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        var maxDims = [hsize_t](repeating: 0, count: Int(rank))
        if rank > 0, H5Sget_simple_extent_dims(space.id, &dims, &maxDims) < 0 {
            throw error("H5Sget_simple_extent_dims", objectPath)
        }
        let unlimited = crucible_h5s_unlimited()
        return (dims.map { Int($0) }, maxDims.map { $0 == unlimited ? nil : Int($0) })
    }

    /// Creates a chunked dataset `[0, frameShape...]` that grows without limit along its first axis.
    func createTimeSeries(_ location: hid_t, _ objectPath: String, fileType: hid_t, frameShape: [Int],
                          chunk: [Int], chunkCacheBytes: Int) throws -> H5Handle {
        let rank = Int32(frameShape.count + 1)
        let dims = [hsize_t(0)] + frameShape.map { hsize_t($0) }
        let maxDims = [crucible_h5s_unlimited()] + frameShape.map { hsize_t($0) }
        let space = try handle(H5Screate_simple(rank, dims, maxDims), .dataspace, "H5Screate_simple", objectPath)
        let dcpl = try handle(H5Pcreate(crucible_h5p_dataset_create()), .propertyList, "H5Pcreate", objectPath)
        try check(H5Pset_chunk(dcpl.id, rank, chunk.map { hsize_t($0) }), "H5Pset_chunk", objectPath)
        // Every element is written by an append before it is read: never spend time writing fill values.
        try check(H5Pset_fill_time(dcpl.id, H5D_FILL_TIME_NEVER), "H5Pset_fill_time", objectPath)
        let dapl = try handle(H5Pcreate(crucible_h5p_dataset_access()), .propertyList, "H5Pcreate", objectPath)
        // Large enough that a partially filled multi-frame chunk stays cached between appends.
        try check(H5Pset_chunk_cache(dapl.id, 521, chunkCacheBytes, 0.75), "H5Pset_chunk_cache", objectPath)
        return try handle(H5Dcreate2(location, objectPath, fileType, space.id, crucible_h5p_default(), dcpl.id, dapl.id),
                          .dataset, "H5Dcreate2", objectPath)
    }

    /// Sets the first extent of a time series to `frames` (grow or shrink).
    func resize(_ dataset: hid_t, _ objectPath: String, frames: Int) throws {
        var (shape, _) = try extents(dataset, objectPath)
        guard !shape.isEmpty else { throw invalid(objectPath, "expected a time series, found a scalar dataset") }
        shape[0] = frames
        try check(H5Dset_extent(dataset, shape.map { hsize_t($0) }), "H5Dset_extent", objectPath)
    }

    /// Writes one frame (`frameShape` elements in row-major order) at index `frame`, which must
    /// already lie inside the extent.
    func writeFrame(_ dataset: hid_t, _ objectPath: String, frame: Int, frameShape: [Int], memType: hid_t,
                    _ buffer: UnsafeRawPointer) throws {
        let fileSpace = try handle(H5Dget_space(dataset), .dataspace, "H5Dget_space", objectPath)
        let start = [hsize_t(frame)] + frameShape.map { _ in hsize_t(0) }
        let count = [hsize_t(1)] + frameShape.map { hsize_t($0) }
        try check(H5Sselect_hyperslab(fileSpace.id, H5S_SELECT_SET, start, nil, count, nil), "H5Sselect_hyperslab", objectPath)
        // The memory space has exactly the shape of the file selection: HDF5 then moves the frame
        // in one piece instead of gathering it through its (1 MiB) conversion buffer.
        let memSpace = try handle(H5Screate_simple(Int32(count.count), count, nil), .dataspace, "H5Screate_simple", objectPath)
        try check(H5Dwrite(dataset, memType, memSpace.id, fileSpace.id, crucible_h5p_default(), buffer), "H5Dwrite", objectPath)
    }

    /// Reads frame `frame` of a time series whose frames hold `frameElements` elements.
    func readFrame<T>(_ dataset: hid_t, _ objectPath: String, frame: Int, memType: hid_t, zero: T) throws -> [T] {
        let (shape, _) = try extents(dataset, objectPath)
        guard !shape.isEmpty else { throw invalid(objectPath, "expected a time series, found a scalar dataset") }
        guard frame >= 0, frame < shape[0] else {
            throw invalid(objectPath, "frame \(frame) out of range (the dataset has \(shape[0]) frames)")
        }
        let frameShape = Array(shape.dropFirst())
        let elements = frameShape.reduce(1, *)
        let fileSpace = try handle(H5Dget_space(dataset), .dataspace, "H5Dget_space", objectPath)
        let start = [hsize_t(frame)] + frameShape.map { _ in hsize_t(0) }
        let count = [hsize_t(1)] + frameShape.map { hsize_t($0) }
        try check(H5Sselect_hyperslab(fileSpace.id, H5S_SELECT_SET, start, nil, count, nil), "H5Sselect_hyperslab", objectPath)
        let memSpace = try handle(H5Screate_simple(Int32(count.count), count, nil), .dataspace, "H5Screate_simple", objectPath)
        var values = [T](repeating: zero, count: elements)
        if elements > 0 {
            try values.withUnsafeMutableBytes { bytes in
                try check(H5Dread(dataset, memType, memSpace.id, fileSpace.id, crucible_h5p_default(), bytes.baseAddress),
                          "H5Dread", objectPath)
            }
        }
        return values
    }

    /// Reads a whole dataset, flattened in row-major order.
    func readAll<T>(_ dataset: hid_t, _ objectPath: String, memType: hid_t, zero: T) throws -> [T] {
        let (shape, _) = try extents(dataset, objectPath)
        let elements = shape.reduce(1, *)
        var values = [T](repeating: zero, count: elements)
        if elements > 0 {
            try values.withUnsafeMutableBytes { bytes in
                let all = crucible_h5s_all()
                try check(H5Dread(dataset, memType, all, all, crucible_h5p_default(), bytes.baseAddress), "H5Dread", objectPath)
            }
        }
        return values
    }
}
