import CrucibleCore
import CHDF5

/// Identity of an HDF5 object: equal for two paths that are hard links to the same object.
public struct H5MDObjectIdentity: Hashable, Sendable {
    public var fileNumber: UInt
    /// The object's address (HDF5 1.10) or token (1.12+), zero-padded to 16 bytes.
    public var token: [UInt8]
}

public struct H5MDObjectInfo: Hashable, Sendable {
    public var identity: H5MDObjectIdentity
    /// Number of hard links to the object.
    public var hardLinkCount: Int
}

/// Storage layout of a dataset.
public struct H5MDDatasetLayout: Hashable, Sendable {
    public var shape: [Int]
    /// nil entries are unlimited (H5S_UNLIMITED).
    public var maxShape: [Int?]
    /// nil when the dataset is not chunked.
    public var chunk: [Int]?
}

func objectInfo(file: hid_t, _ objectPath: String, context: H5Context) throws -> H5MDObjectInfo {
    var token = [UInt8](repeating: 0, count: 16)
    var fileNumber: UInt = 0
    var refcount: UInt32 = 0
    if crucible_h5o_identity(file, objectPath, &token, &fileNumber, &refcount) < 0 {
        throw context.error("H5Oget_info_by_name", objectPath)
    }
    return H5MDObjectInfo(identity: H5MDObjectIdentity(fileNumber: fileNumber, token: token), hardLinkCount: Int(refcount))
}

/// Reads an H5MD file (as written by `H5MDWriter`, or any file with explicit step/time storage).
/// The file stays open (read-only) while any copy of the reader exists.
public struct H5MDReader {
    private final class OpenFile {
        let handle: H5Handle
        init(_ handle: H5Handle) { self.handle = handle }
    }

    public let path: String
    public let particleGroup: String
    public let atomCount: Int
    public let frameCount: Int
    public let fields: Set<H5MDWriter.Field>
    /// True when `species` is a time-dependent element (a file written with `varyingSpecies`):
    /// read it with `species(frame:)` / `elements(frame:)`.
    public let hasVaryingSpecies: Bool

    private let file: OpenFile
    private let context: H5Context
    private var base: String { "/particles/\(particleGroup)" }
    private var fid: hid_t { file.handle.isOpen ? file.handle.id : -1 }

    /// - Parameter particleGroup: the subgroup of /particles; nil picks the first by name.
    public init(path: String, particleGroup: String? = nil) throws {
        let context = H5Context(path: path)
        self.path = path
        self.context = context
        var result: (H5Handle, String, Int, Int, Set<H5MDWriter.Field>, Bool)?
        try withHDF5 {
            let handle = try context.handle(H5Fopen(path, crucible_h5f_acc_rdonly(), crucible_h5p_default()), .file, "H5Fopen", "/")
            guard try context.exists(handle.id, "/h5md") else { throw context.invalid("/h5md", "not an H5MD file (no /h5md group)") }
            guard try context.exists(handle.id, "/particles") else { throw context.invalid("/particles", "no particles group") }
            let groups = try context.children(handle.id, "/particles")
            let group = particleGroup ?? groups.first ?? ""
            guard groups.contains(group) else {
                throw context.invalid("/particles", "no particle group '\(group)' (found: \(groups.joined(separator: ", ")))")
            }
            var fields = Set<H5MDWriter.Field>()
            var atoms = 0
            var frames = 0
            for field in H5MDWriter.Field.allCases.reversed() where try context.exists(handle.id, "/particles/\(group)/\(field.rawValue)/value") {
                fields.insert(field)
                let valuePath = "/particles/\(group)/\(field.rawValue)/value"
                let dataset = try context.openDataset(handle.id, valuePath)
                let shape = try context.extents(dataset.id, valuePath).shape
                guard shape.count == 3, shape[2] == 3 else { throw context.invalid(valuePath, "expected shape [frames][N][3], found \(shape)") }
                (frames, atoms) = (shape[0], shape[1])  // ends on the first present field (position if any)
            }
            guard !fields.isEmpty else {
                throw context.invalid("/particles/\(group)", "no position, velocity or force element")
            }
            let speciesElement = "/particles/\(group)/species"
            let varying = try context.exists(handle.id, speciesElement) && context.objectType(handle.id, speciesElement) == H5I_GROUP
            result = (handle, group, atoms, frames, fields, varying)
        }
        let (handle, group, atoms, frames, fields, varying) = result!
        self.file = OpenFile(handle)
        self.particleGroup = group
        self.atomCount = atoms
        self.frameCount = frames
        self.fields = fields
        self.hasVaryingSpecies = varying
    }

    /// Closes the file now instead of when the last copy of the reader goes away. HDF5 refuses to
    /// open a file for writing (e.g. `H5MDWriter(appendingTo:)`) while this process has it open
    /// read-only, so close readers before appending or truncating. Later reads throw.
    public func close() {
        file.handle.close()
    }

    /// The element whose step/time define frames: position, else velocity, else force.
    private var primaryElement: String {
        let field = H5MDWriter.Field.allCases.first { fields.contains($0) }!
        return "\(base)/\(field.rawValue)"
    }

    // MARK: Time axis

    public func steps() throws -> [Int] {
        try withHDF5 { try explicitSeries("\(primaryElement)/step", memType: crucible_h5t_native_int64(), zero: Int64(0)).map { Int($0) } }
    }

    /// Times in the file's unit (ps for files we write).
    public func times() throws -> [Double] {
        try withHDF5 { try explicitSeries("\(primaryElement)/time", memType: crucible_h5t_native_double(), zero: 0.0) }
    }

    /// Reads an explicit `[frames]` step/time dataset, or expands a fixed (scalar + offset) one.
    private func explicitSeries<T: Numeric>(_ objectPath: String, memType: hid_t, zero: T) throws -> [T] {
        let dataset = try context.openDataset(fid, objectPath)
        let shape = try context.extents(dataset.id, objectPath).shape
        if shape.count == 1 { return try context.readAll(dataset.id, objectPath, memType: memType, zero: zero) }
        let increment = try context.readAll(dataset.id, objectPath, memType: memType, zero: zero)[0]
        var offset = zero
        if try context.attributeExists(fid, objectPath, "offset") {
            let dflt = crucible_h5p_default()
            let attribute = try context.handle(H5Aopen_by_name(fid, objectPath, "offset", dflt, dflt), .attribute, "H5Aopen_by_name", objectPath)
            var value = [zero]
            try value.withUnsafeMutableBytes { bytes in
                try context.check(H5Aread(attribute.id, memType, bytes.baseAddress), "H5Aread", "\(objectPath)@offset")
            }
            offset = value[0]
        }
        return (0..<frameCount).map { offset + T(exactly: $0)! * increment }
    }

    // MARK: Per-frame data

    public func positions(frame: Int) throws -> [Double] { try values(.position, frame: frame) }
    public func velocities(frame: Int) throws -> [Double] { try values(.velocity, frame: frame) }
    public func forces(frame: Int) throws -> [Double] { try values(.force, frame: frame) }

    /// 3N values of `field` at `frame`, row-major (atom-major), in the file's unit (`unit(of:)` of its
    /// value dataset): for files Crucible writes Å, Å/ps and, for forces, kJ mol-1 Angstrom-1.
    public func values(_ field: H5MDWriter.Field, frame: Int) throws -> [Double] {
        let objectPath = "\(base)/\(field.rawValue)/value"
        guard fields.contains(field) else { throw context.invalid(objectPath, "the file has no \(field.rawValue)s") }
        return try withHDF5 {
            let dataset = try context.openDataset(fid, objectPath)
            return try context.readFrame(dataset.id, objectPath, frame: frame, memType: crucible_h5t_native_double(), zero: 0.0)
        }
    }

    /// The cell of `frame`: 9 values, row-major, rows = edge vectors. A cuboid (vector) box is
    /// returned as a diagonal matrix; a time-independent box is returned for any frame.
    public func box(frame: Int) throws -> [Double] {
        try withHDF5 {
            let edges = "\(base)/box/edges"
            guard try context.exists(fid, edges) else { throw context.invalid(edges, "the file stores no box edges") }
            let isGroup = try context.objectType(fid, edges) == H5I_GROUP
            let objectPath = isGroup ? "\(edges)/value" : edges
            let dataset = try context.openDataset(fid, objectPath)
            let values = isGroup
                ? try context.readFrame(dataset.id, objectPath, frame: frame, memType: crucible_h5t_native_double(), zero: 0.0)
                : try context.readAll(dataset.id, objectPath, memType: crucible_h5t_native_double(), zero: 0.0)
            switch values.count {
            case 9: return values
            case 3: return [values[0], 0, 0, 0, values[1], 0, 0, 0, values[2]]
            default: throw context.invalid(objectPath, "expected a 3-vector or 3x3 matrix per frame, found \(values.count) values")
            }
        }
    }

    /// The box `boundary` attribute ("periodic" / "none" per dimension).
    public func boundary() throws -> [String] {
        try withHDF5 { try context.readStringAttribute(fid, "\(base)/box", "boundary") }
    }

    /// The species of every atom, from a time-independent `species` dataset. Throws for a file
    /// whose species vary per frame (`hasVaryingSpecies`): use `species(frame:)`.
    public func species() throws -> [Int32] {
        try withHDF5 {
            let objectPath = "\(base)/species"
            guard !hasVaryingSpecies else {
                throw context.invalid(objectPath, "species vary per frame in this file: read them with species(frame:)")
            }
            let dataset = try context.openDataset(fid, objectPath)
            return try context.readAll(dataset.id, objectPath, memType: crucible_h5t_native_int32(), zero: Int32(0))
        }
    }

    /// The species of every atom at `frame`: from `species/value` when they vary per frame, else the
    /// time-independent species (the same for any frame in range).
    public func species(frame: Int) throws -> [Int32] {
        guard hasVaryingSpecies else {
            guard frame >= 0, frame < frameCount else {
                throw context.invalid("\(base)/species", "frame \(frame) out of range (the file has \(frameCount) frames)")
            }
            return try species()
        }
        return try withHDF5 {
            let objectPath = "\(base)/species/value"
            let dataset = try context.openDataset(fid, objectPath)
            return try context.readFrame(dataset.id, objectPath, frame: frame, memType: crucible_h5t_native_int32(), zero: Int32(0))
        }
    }

    /// The rows of the H5MD VMD structure module (/parameters/vmd_structure): each species value
    /// (`indexOfSpecies`) with its `name`, in file order. For a file with varying species these
    /// are every species the run could hold. Nil when the file has no such module.
    public func speciesTable() throws -> [(number: Int32, symbol: String)]? {
        let module = "/parameters/vmd_structure"
        return try withHDF5 {
            guard try context.exists(fid, "\(module)/indexOfSpecies"), try context.exists(fid, "\(module)/name") else { return nil }
            let indexPath = "\(module)/indexOfSpecies"
            let indexDataset = try context.openDataset(fid, indexPath)
            let index = try context.readAll(indexDataset.id, indexPath, memType: crucible_h5t_native_int32(), zero: Int32(0))
            let names = try context.readStringDataset(fid, "\(module)/name")
            guard names.count == index.count else {
                throw context.invalid("\(module)/name", "expected \(index.count) names (one per entry of indexOfSpecies), found \(names.count)")
            }
            return zip(index, names).map { (number: $0.0, symbol: $0.1) }
        }
    }

    /// The element symbol of each atom, from the H5MD VMD structure module: the atom's species
    /// looked up in /parameters/vmd_structure/indexOfSpecies names its row of `name`. Nil when the
    /// file has no such module. Throws for a file whose species vary per frame: use `elements(frame:)`.
    public func elements() throws -> [String]? {
        guard let table = try speciesTable() else { return nil }
        return try symbols(of: try species(), table: table)
    }

    /// The element symbol of each atom at `frame` (see `elements()`); nil without a VMD structure module.
    public func elements(frame: Int) throws -> [String]? {
        guard let table = try speciesTable() else { return nil }
        return try symbols(of: try species(frame: frame), table: table)
    }

    private func symbols(of species: [Int32], table: [(number: Int32, symbol: String)]) throws -> [String] {
        let symbolOf = Dictionary(table.map { ($0.number, $0.symbol) }, uniquingKeysWith: { first, _ in first })
        return try species.enumerated().map { atom, value in
            guard let symbol = symbolOf[value] else {
                throw context.invalid("/parameters/vmd_structure/indexOfSpecies", "species \(value) of atom \(atom) is not listed")
            }
            return symbol
        }
    }

    // MARK: Observables and parameters

    /// Names of the time-dependent observables directly in /observables.
    public func observableNames() throws -> [String] {
        try withHDF5 {
            guard try context.exists(fid, "/observables") else { return [] }
            return try context.children(fid, "/observables").filter { try context.exists(fid, "/observables/\($0)/value") }
        }
    }

    /// All frames of a scalar observable.
    public func observable(_ name: String) throws -> [Double] {
        try withHDF5 {
            let objectPath = "/observables/\(name)/value"
            guard try context.exists(fid, objectPath) else { throw context.invalid(objectPath, "no observable '\(name)'") }
            let dataset = try context.openDataset(fid, objectPath)
            return try context.readAll(dataset.id, objectPath, memType: crucible_h5t_native_double(), zero: 0.0)
        }
    }

    /// The `unit` attribute of a dataset, nil if absent.
    public func unit(of datasetPath: String) throws -> String? {
        try withHDF5 {
            guard try context.attributeExists(fid, datasetPath, "unit") else { return nil }
            return try context.readStringAttribute(fid, datasetPath, "unit").first
        }
    }

    /// /parameters/deck, nil if absent.
    public func deckText() throws -> String? {
        try withHDF5 {
            let objectPath = "/parameters/deck"
            guard try context.exists(fid, objectPath) else { return nil }
            let dataset = try context.openDataset(fid, objectPath)
            let type = try context.handle(H5Dget_type(dataset.id), .datatype, "H5Dget_type", objectPath)
            let space = try context.handle(H5Dget_space(dataset.id), .dataspace, "H5Dget_space", objectPath)
            let all = crucible_h5s_all()
            return try context.readStrings(fileType: type.id, space: space.id, label: objectPath) { memType, buffer in
                H5Dread(dataset.id, memType, all, all, crucible_h5p_default(), buffer)
            }.first
        }
    }

    // MARK: Structure inspection (tests, tools)

    public func exists(_ objectPath: String) throws -> Bool {
        try withHDF5 { try context.exists(fid, objectPath) }
    }

    public func stringAttribute(_ name: String, of objectPath: String) throws -> [String] {
        try withHDF5 { try context.readStringAttribute(fid, objectPath, name) }
    }

    public func intAttribute(_ name: String, of objectPath: String) throws -> [Int] {
        try withHDF5 { try context.readIntAttribute(fid, objectPath, name).map { Int($0) } }
    }

    public func layout(of datasetPath: String) throws -> H5MDDatasetLayout {
        try withHDF5 {
            let dataset = try context.openDataset(fid, datasetPath)
            let (shape, maxShape) = try context.extents(dataset.id, datasetPath)
            let dcpl = try context.handle(H5Dget_create_plist(dataset.id), .propertyList, "H5Dget_create_plist", datasetPath)
            var chunk: [Int]?
            if H5Pget_layout(dcpl.id) == H5D_CHUNKED {
                var dims = [hsize_t](repeating: 0, count: shape.count)
                if H5Pget_chunk(dcpl.id, Int32(shape.count), &dims) < 0 { throw context.error("H5Pget_chunk", datasetPath) }
                chunk = dims.map { Int($0) }
            }
            return H5MDDatasetLayout(shape: shape, maxShape: maxShape, chunk: chunk)
        }
    }

    /// Identity and hard-link count of the object at `objectPath` (H5Oget_info).
    public func objectInfo(_ objectPath: String) throws -> H5MDObjectInfo {
        try withHDF5 { try CrucibleIO.objectInfo(file: fid, objectPath, context: context) }
    }
}
