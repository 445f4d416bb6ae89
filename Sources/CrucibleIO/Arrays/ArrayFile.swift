import CHDF5
import CrucibleCore
import Foundation

/// A plain HDF5 file of named n-dimensional arrays (float64 or int32, row-major) with string
/// attributes on the root: what `crucible features` writes, readable by h5py/numpy as they are.
/// Written to a temporary file and renamed, so a failed write never leaves half a file.
public struct ArrayFile {
    public enum Values {
        case doubles([Double])
        case integers([Int32])
    }

    public struct Dataset {
        public var path: String
        public var shape: [Int]
        public var values: Values
        /// String attributes of the dataset (e.g. the names of its columns).
        public var attributes: [String: String]

        public init(_ path: String, shape: [Int], _ values: Values, attributes: [String: String] = [:]) {
            self.path = path; self.shape = shape; self.values = values; self.attributes = attributes
        }
    }

    public var arrays: [Dataset] = []
    public var attributes: [String: String] = [:]

    public init() {}

    /// One dataset of `values` (the array's shape in `space`).
    private static func write<T>(_ values: [T], count: Int, file: hid_t, _ path: String, _ space: hid_t,
                                 fileType: hid_t, memoryType: hid_t, _ ctx: H5Context) throws -> H5Handle {
        precondition(values.count == count, "\(path): \(values.count) values for \(count) entries")
        let dflt = crucible_h5p_default()
        let dataset = try ctx.handle(H5Dcreate2(file, path, fileType, space, dflt, dflt, dflt), .dataset, "H5Dcreate2", path)
        try ctx.check(H5Dwrite(dataset.id, memoryType, crucible_h5s_all(), crucible_h5s_all(), dflt, values), "H5Dwrite", path)
        return dataset
    }

    public func write(to path: String) throws {
        let temporary = path + ".tmp"
        let ctx = H5Context(path: path)
        try withHDF5 {
            let dflt = crucible_h5p_default()
            let file = try ctx.handle(H5Fcreate(temporary, crucible_h5f_acc_trunc(), dflt, dflt), .file, "H5Fcreate", "/")
            var groups = Set<String>()
            for array in arrays {
                // Parent groups first, each once.
                let parts = array.path.split(separator: "/").dropLast()
                var prefix = ""
                for part in parts {
                    prefix += "/" + part
                    if groups.insert(prefix).inserted { _ = try ctx.createGroup(file.id, prefix).close() }
                }
                let count = array.shape.reduce(1, *)
                let space = try ctx.handle(H5Screate_simple(Int32(array.shape.count), array.shape.map { hsize_t($0) }, nil),
                                           .dataspace, "H5Screate_simple", array.path)
                let dataset: H5Handle
                switch array.values {
                case .doubles(let values):
                    dataset = try Self.write(values, count: count, file: file.id, array.path, space.id,
                                             fileType: crucible_h5t_ieee_f64le(), memoryType: crucible_h5t_native_double(), ctx)
                case .integers(let values):
                    dataset = try Self.write(values, count: count, file: file.id, array.path, space.id,
                                             fileType: crucible_h5t_std_i32le(), memoryType: crucible_h5t_native_int32(), ctx)
                }
                for (name, value) in array.attributes.sorted(by: { $0.key < $1.key }) {
                    try ctx.writeVariableStringAttribute(dataset.id, array.path, name, value)
                }
            }
            for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
                try ctx.writeVariableStringAttribute(file.id, "/", name, value)
            }
            try ctx.check(file.close(), "H5Fclose", "/")
        }
        guard rename(temporary, path) == 0 else {
            throw InputError(file: path, "cannot rename \(temporary): \(String(cString: strerror(errno)))")
        }
    }
}
