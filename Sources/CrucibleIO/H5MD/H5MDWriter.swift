import CrucibleCore
import CHDF5

/// Writes an H5MD 1.1 trajectory (https://www.nongnu.org/h5md/h5md.html) through the HDF5 C library.
///
/// Layout (N atoms, F frames, K distinct species; `trajectory` is `particleGroup`):
///
///     /h5md                      +version=[1,1]
///         author                 +name
///         creator                +name +version
///         modules/vmd_structure  +version=[1,0]                (if elements are given)
///     /particles/trajectory
///         box                    +dimension=3 +boundary=["periodic"|"none"]×3
///             edges/{step,time,value[F][3][3]}     rows of value = edge vectors (Å)
///         position/{step,time,value[F][N][3]}      Angstrom
///         velocity/{step,time,value[F][N][3]}      Angstrom ps-1         (if requested)
///         force/{step,time,value[F][N][3]}         kJ mol-1 Angstrom-1   (if requested; see `forceUnit`)
///         species[N]                               int32                 (fixed species, the default)
///         species/{step,time,value[F][N]}          int32                 (with `varyingSpecies`)
///     /observables/<name>/{step,time,value[F]}
///     /parameters/deck                             the input deck (if given)
///     /parameters/vmd_structure                    (if elements or `varyingSpecies` are given)
///         indexOfSpecies[K] int32, name[K] type[K] string, atomicnumber[K] int32
///
/// With `varyingSpecies` (Monte Carlo swaps and semi-grand moves change atoms' species during a
/// run) `species` is a time-dependent element like position, and the VMD structure rows list every
/// species the run can hold, whether present in a frame or not. MDAnalysis ignores `species`
/// either way (it reads only position/velocity/force, box and observables).
///
/// Every element is sampled together, so one `step` (int64) and one `time` (float64, ps) dataset
/// exist; all other elements' `step`/`time` are hard links to them. Time series are chunked and
/// unlimited along the frame axis. Not thread-safe: use one writer from one thread at a time.
///
/// Choices made so that `MDAnalysis.Universe("x.h5md")` (MDAnalysis 2.x, unpatched, default
/// arguments) reads every file written here:
/// - The particle group is called `trajectory` by default: MDAnalysis' H5MDReader takes the atom
///   count for its minimal topology from `/particles/trajectory` only (the name its own writer uses).
/// - Forces are stored in kJ mol-1 Angstrom-1 (eV/Å × `kilojoulesPerMolePerElectronvolt`), the one
///   quantity not in Crucible's metal units: MDAnalysis raises on any force unit outside its small
///   table (no eV-based one: "eV Angstrom-1", "eV/Angstrom", "eV A-1" all fail), and with its
///   default `convert_units=True` it also raises when the unit attribute is missing. Converting the
///   numbers is the only way a force element both opens and carries a unit attribute that tells
///   the truth. Positions, velocities, box and time stay in Å, Å/ps and ps.
/// - The element of each atom is stored as H5MD's `species` (the caller's integers, atomic numbers
///   for Crucible) plus the VMD structure module (`/parameters/vmd_structure`), which names each
///   species. MDAnalysis reads no topology from H5MD files; docs/output.md shows how to attach the
///   elements from this module (or from the final structure) in MDAnalysis.
public final class H5MDWriter {
    /// Per-particle vector quantities that can be stored each frame.
    public enum Field: String, CaseIterable, Hashable, Sendable {
        case position, velocity, force

        /// H5MD unit string of the numbers a new file stores (metal units, except forces: `forceUnit`).
        public var unit: String {
            switch self {
            case .position: return "Angstrom"
            case .velocity: return "Angstrom ps-1"
            case .force: return H5MDWriter.forceUnit
            }
        }
    }

    /// A scalar observable stored each frame under /observables/<name>.
    public struct Observable: Hashable, Sendable {
        public var name: String
        /// H5MD unit string, e.g. "eV", "K", "eV Angstrom-3"; nil for dimensionless.
        public var unit: String?
        public init(_ name: String, unit: String? = nil) {
            self.name = name
            self.unit = unit
        }
    }

    public static let timeUnit = "ps"
    public static let lengthUnit = "Angstrom"
    /// Unit of the stored forces: MDAnalysis' own force unit, so it reads them unconverted (see the type's notes).
    public static let forceUnit = "kJ mol-1 Angstrom-1"
    /// kJ/mol in one eV (e · N_A / 1000, exact SI 2019 constants): `append` multiplies forces (eV/Å) by it.
    public static let kilojoulesPerMolePerElectronvolt = 96.485_332_123_310_02
    /// Force unit of files written before forces were converted; appending to such a file continues in it.
    static let metalForceUnit = "eV Angstrom-1"
    /// Version of the H5MD VMD structure module the species names follow.
    static let vmdStructureVersion: [Int32] = [1, 0]

    public let path: String
    public let particleGroup: String
    public let atomCount: Int
    public let fields: Set<Field>
    /// Observable names in file order.
    public let observableNames: [String]
    /// Frames currently in the file.
    public private(set) var frameCount: Int
    /// Step of the last frame, nil while empty.
    public private(set) var lastStep: Int?
    public private(set) var lastTime: Double?
    /// Factor from eV/Å to the unit of the file's force element (1 for files in eV Angstrom-1).
    private let forceFactor: Double
    /// Every species atoms may hold, ascending by number, when species are stored per frame
    /// (`append(species:)` required); nil when the file has one time-independent species array.
    public let varyingSpecies: [(number: Int32, symbol: String)]?

    private enum Role {
        case step, time, box, species, field(Field), observable(String)
    }

    private struct Series {
        let role: Role
        let path: String
        let frameShape: [Int]
        let handle: H5Handle
    }

    private let context: H5Context
    private var file: H5Handle?
    private var series: [Series] = []

    // MARK: Chunking policy

    /// Aim for chunks of about this many bytes when one frame is smaller (several frames per chunk).
    static let targetChunkBytes = 1 << 20
    /// Never make one chunk larger than this (split the atom axis for huge systems).
    static let maxChunkBytes = 64 << 20
    static let maxFramesPerChunk = 256
    /// Per-dataset chunk cache: holds a partially filled multi-frame chunk between appends, while
    /// single-frame chunks of big systems (> cache) bypass the cache and are written directly.
    static let chunkCacheBytes = 4 << 20
    static let scalarChunk = 512
    static let boxChunk = 64

    /// Chunk shape of a `[frames][atomCount][3]` float64 value dataset.
    public static func particleChunkShape(atomCount: Int) -> [Int] {
        let n = max(atomCount, 1)
        let frameBytes = n * 3 * MemoryLayout<Double>.size
        if frameBytes >= targetChunkBytes {
            return [1, min(n, maxChunkBytes / (3 * MemoryLayout<Double>.size)), 3]
        }
        return [min(maxFramesPerChunk, max(1, targetChunkBytes / frameBytes)), n, 3]
    }

    /// Chunk shape of a time-dependent `[frames][atomCount]` int32 species dataset: the frame and
    /// atom extents of `particleChunkShape`, so its chunks hold the same frames and atoms as position's.
    public static func speciesChunkShape(atomCount: Int) -> [Int] {
        Array(particleChunkShape(atomCount: atomCount).dropLast())
    }

    // MARK: Creating a new file

    /// Creates (overwrites) `path` and writes the time-independent parts of the H5MD structure.
    /// - Parameters:
    ///   - particleGroup: `trajectory` (the default) is the name MDAnalysis finds without help.
    ///   - species: one value per atom (atomic numbers or species indices).
    ///   - elements: the element symbol of each atom, stored per species in the VMD structure
    ///     module; atoms of one species value must have one symbol.
    ///   - pbc: periodicity along the three cell vectors (box `boundary` attribute).
    ///   - fields: per-particle quantities stored each frame; position is always stored.
    ///   - observables: scalar quantities stored each frame; `append` must give all of them.
    ///   - deckText: stored as /parameters/deck when given.
    ///   - varyingSpecies: when given, atoms may change species between frames: every species the
    ///     run can hold (distinct numbers, atomic numbers for Crucible, and the element symbol of
    ///     each). `species` is then stored per frame (`append(species:)` is required) and the VMD
    ///     structure module lists all of these. `species`/`elements` above are the step-0 assignment:
    ///     they are checked against this list but not stored (the first `append` stores frame 0's).
    ///     Nil (the default) stores one time-independent `species` array, as files always had.
    ///   - isotopes: the atomic number of each symbol above that is an isotope's label, not an
    ///     element symbol ("D": 1), for the VMD structure module's `atomicnumber`.
    public init(path: String, author: String, creatorName: String = "Crucible", creatorVersion: String,
                particleGroup: String = "trajectory", atomCount: Int, species: [Int32], elements: [String]? = nil,
                pbc: [Bool] = [true, true, true], fields: Set<Field> = [.position], observables: [Observable] = [],
                deckText: String? = nil, varyingSpecies: [(number: Int32, symbol: String)]? = nil,
                isotopes: [String: Int32] = [:]) throws {
        let context = H5Context(path: path)
        guard atomCount >= 1 else { throw context.invalid("atomCount", "need at least one atom, got \(atomCount)") }
        guard species.count == atomCount else {
            throw context.invalid("species", "expected \(atomCount) species values, got \(species.count)")
        }
        let speciesNames: (index: [Int32], names: [String])?
        if let varyingSpecies {
            speciesNames = try Self.speciesNames(varying: varyingSpecies, species: species, elements: elements, context: context)
        } else {
            speciesNames = try elements.map { try Self.speciesNames(species: species, elements: $0, context: context) }
        }
        guard pbc.count == 3 else { throw context.invalid("pbc", "expected 3 periodicity flags, got \(pbc.count)") }
        try Self.validateName(particleGroup, what: "particle group", context: context)
        var seen = Set<String>()
        for observable in observables {
            try Self.validateName(observable.name, what: "observable", context: context)
            guard seen.insert(observable.name).inserted else {
                throw context.invalid("observables", "observable '\(observable.name)' given twice")
            }
        }
        self.path = path
        self.context = context
        self.particleGroup = particleGroup
        self.atomCount = atomCount
        self.fields = fields.union([.position])
        self.observableNames = observables.map(\.name)
        self.frameCount = 0
        self.forceFactor = Self.kilojoulesPerMolePerElectronvolt
        self.varyingSpecies = varyingSpecies != nil ? speciesNames.map { Array(zip($0.index, $0.names)) } : nil

        try withHDF5 {
            let fapl = try Self.fileAccessList(context)
            let file = try context.handle(H5Fcreate(path, crucible_h5f_acc_trunc(), crucible_h5p_default(), fapl.id),
                                          .file, "H5Fcreate", "/")
            self.file = file
            do {
                try self.buildLayout(file: file.id, author: author, creatorName: creatorName, creatorVersion: creatorVersion,
                                     species: species, speciesNames: speciesNames, isotopes: isotopes, varyingSpecies: varyingSpecies != nil,
                                     pbc: pbc, observables: observables, deckText: deckText)
                try context.check(H5Fflush(file.id, H5F_SCOPE_LOCAL), "H5Fflush", "/")
            } catch {
                self.closeQuietly()
                throw error
            }
        }
    }

    /// The VMD structure module's per-species table: the distinct species values in ascending order
    /// and the symbol of each. A species value given two symbols cannot be named and is refused.
    static func speciesNames(species: [Int32], elements: [String], context: H5Context) throws -> (index: [Int32], names: [String]) {
        guard elements.count == species.count else {
            throw context.invalid("elements", "expected \(species.count) element symbols (one per atom), got \(elements.count)")
        }
        var symbolOf: [Int32: String] = [:]
        for (atom, (value, symbol)) in zip(species, elements).enumerated() {
            guard !symbol.isEmpty, !symbol.utf8.contains(0) else {
                throw context.invalid("elements", "atom \(atom): the element symbol must be a non-empty string without NUL")
            }
            if let known = symbolOf[value], known != symbol {
                throw context.invalid("elements", "atom \(atom): species \(value) is '\(known)' for an earlier atom but '\(symbol)' here")
            }
            symbolOf[value] = symbol
        }
        let index = symbolOf.keys.sorted()
        return (index, index.map { symbolOf[$0]! })
    }

    /// The VMD structure table of a file with time-dependent species: every species of `varying`,
    /// ascending. The step-0 `species` (and `elements`, when given) must agree with it.
    static func speciesNames(varying: [(number: Int32, symbol: String)], species: [Int32], elements: [String]?,
                             context: H5Context) throws -> (index: [Int32], names: [String]) {
        guard !varying.isEmpty else { throw context.invalid("varyingSpecies", "list at least one species") }
        var symbolOf: [Int32: String] = [:]
        for (number, symbol) in varying {
            guard !symbol.isEmpty, !symbol.utf8.contains(0) else {
                throw context.invalid("varyingSpecies", "species \(number): the element symbol must be a non-empty string without NUL")
            }
            guard symbolOf.updateValue(symbol, forKey: number) == nil else {
                throw context.invalid("varyingSpecies", "species \(number) is listed twice")
            }
        }
        if let elements, elements.count != species.count {
            throw context.invalid("elements", "expected \(species.count) element symbols (one per atom), got \(elements.count)")
        }
        for (atom, value) in species.enumerated() {
            guard let symbol = symbolOf[value] else {
                throw context.invalid("species", "atom \(atom): species \(value) is not one of varyingSpecies")
            }
            if let elements, elements[atom] != symbol {
                throw context.invalid("elements", "atom \(atom): species \(value) is '\(symbol)' in varyingSpecies but '\(elements[atom])' here")
            }
        }
        let index = symbolOf.keys.sorted()
        return (index, index.map { symbolOf[$0]! })
    }

    private func buildLayout(file: hid_t, author: String, creatorName: String, creatorVersion: String, species: [Int32],
                             speciesNames: (index: [Int32], names: [String])?, isotopes: [String: Int32], varyingSpecies: Bool, pbc: [Bool],
                             observables: [Observable], deckText: String?) throws {
        let c = context
        // /h5md metadata
        do {
            let h5md = try c.createGroup(file, "/h5md")
            try c.writeIntAttribute(h5md.id, "/h5md", "version", [1, 1], scalar: false)
            let authorGroup = try c.createGroup(file, "/h5md/author")
            try c.writeFixedStringAttribute(authorGroup.id, "/h5md/author", "name", [author], scalar: true)
            let creator = try c.createGroup(file, "/h5md/creator")
            try c.writeFixedStringAttribute(creator.id, "/h5md/creator", "name", [creatorName], scalar: true)
            try c.writeFixedStringAttribute(creator.id, "/h5md/creator", "version", [creatorVersion], scalar: true)
            if speciesNames != nil {
                _ = try c.createGroup(file, "/h5md/modules")
                let module = try c.createGroup(file, "/h5md/modules/vmd_structure")
                try c.writeIntAttribute(module.id, "/h5md/modules/vmd_structure", "version", Self.vmdStructureVersion, scalar: false)
            }
        }

        let base = "/particles/\(particleGroup)"
        _ = try c.createGroup(file, "/particles")
        _ = try c.createGroup(file, base)

        // Fields: the first one (position when present) owns step/time; everything else links to them.
        let ordered = Field.allCases.filter { fields.contains($0) }  // position first
        let chunk = Self.particleChunkShape(atomCount: atomCount)
        let primary = "\(base)/\(ordered[0].rawValue)"
        for (index, field) in ordered.enumerated() {
            let element = "\(base)/\(field.rawValue)"
            _ = try c.createGroup(file, element)
            if index == 0 {
                try createStepAndTime(file: file, element: element)
            } else {
                try linkStepAndTime(file: file, from: primary, to: element)
            }
            let value = try c.createTimeSeries(file, "\(element)/value", fileType: crucible_h5t_ieee_f64le(),
                                                frameShape: [atomCount, 3], chunk: chunk, chunkCacheBytes: Self.chunkCacheBytes)
            try c.writeVariableStringAttribute(value.id, "\(element)/value", "unit", field.unit)
            series.append(Series(role: .field(field), path: "\(element)/value", frameShape: [atomCount, 3], handle: value))
        }

        // Box: dimension, boundary, and time-dependent edges sharing position's step/time.
        do {
            let box = try c.createGroup(file, "\(base)/box")
            try c.writeIntAttribute(box.id, "\(base)/box", "dimension", [3], scalar: true)
            try c.writeFixedStringAttribute(box.id, "\(base)/box", "boundary", pbc.map { $0 ? "periodic" : "none" }, scalar: false)
            let edges = "\(base)/box/edges"
            _ = try c.createGroup(file, edges)
            try linkStepAndTime(file: file, from: primary, to: edges)
            let value = try c.createTimeSeries(file, "\(edges)/value", fileType: crucible_h5t_ieee_f64le(), frameShape: [3, 3],
                                                chunk: [Self.boxChunk, 3, 3], chunkCacheBytes: Self.chunkCacheBytes)
            try c.writeVariableStringAttribute(value.id, "\(edges)/value", "unit", Self.lengthUnit)
            series.append(Series(role: .box, path: "\(edges)/value", frameShape: [3, 3], handle: value))
        }

        if varyingSpecies {
            // Species: time-dependent int32[F][N], sharing position's step/time like the box.
            let element = "\(base)/species"
            _ = try c.createGroup(file, element)
            try linkStepAndTime(file: file, from: primary, to: element)
            let value = try c.createTimeSeries(file, "\(element)/value", fileType: crucible_h5t_std_i32le(), frameShape: [atomCount],
                                                chunk: Self.speciesChunkShape(atomCount: atomCount), chunkCacheBytes: Self.chunkCacheBytes)
            series.append(Series(role: .species, path: "\(element)/value", frameShape: [atomCount], handle: value))
        } else {
            // Species: time-independent int32[N].
            try c.writeIntDataset(file, "\(base)/species", species)
        }

        // Observables.
        if !observables.isEmpty {
            _ = try c.createGroup(file, "/observables")
            for observable in observables {
                let element = "/observables/\(observable.name)"
                _ = try c.createGroup(file, element)
                try linkStepAndTime(file: file, from: primary, to: element)
                let value = try c.createTimeSeries(file, "\(element)/value", fileType: crucible_h5t_ieee_f64le(), frameShape: [],
                                                    chunk: [Self.scalarChunk], chunkCacheBytes: 1 << 20)
                if let unit = observable.unit { try c.writeVariableStringAttribute(value.id, "\(element)/value", "unit", unit) }
                series.append(Series(role: .observable(observable.name), path: "\(element)/value", frameShape: [], handle: value))
            }
        }

        if deckText != nil || speciesNames != nil {
            _ = try c.createGroup(file, "/parameters")
        }

        // Species names (H5MD VMD structure module): row i of name/type/atomicnumber describes the
        // atoms whose species is indexOfSpecies[i]. Fixed-length strings, as the VMD plugin reads them.
        if let speciesNames {
            let module = "/parameters/vmd_structure"
            _ = try c.createGroup(file, module)
            try c.writeIntDataset(file, "\(module)/indexOfSpecies", speciesNames.index)
            try c.writeFixedStringDataset(file, "\(module)/name", speciesNames.names)
            try c.writeFixedStringDataset(file, "\(module)/type", speciesNames.names)
            try c.writeIntDataset(file, "\(module)/atomicnumber",
                                  speciesNames.names.map { isotopes[$0] ?? Int32(Element(symbol: $0)?.atomicNumber ?? 0) })
        }

        // Parameters: the deck as one variable-length UTF-8 string.
        if let deckText {
            let deckPath = "/parameters/deck"
            let type = try c.handle(H5Tcopy(crucible_h5t_c_s1()), .datatype, "H5Tcopy", deckPath)
            try c.check(H5Tset_size(type.id, crucible_h5t_variable()), "H5Tset_size", deckPath)
            try c.check(H5Tset_cset(type.id, H5T_CSET_UTF8), "H5Tset_cset", deckPath)
            let space = try c.handle(H5Screate(H5S_SCALAR), .dataspace, "H5Screate", deckPath)
            let dflt = crucible_h5p_default()
            let dataset = try c.handle(H5Dcreate2(file, deckPath, type.id, space.id, dflt, dflt, dflt), .dataset, "H5Dcreate2", deckPath)
            try deckText.withCString { pointer in
                var cString: UnsafePointer<CChar>? = pointer
                try c.check(H5Dwrite(dataset.id, type.id, crucible_h5s_all(), crucible_h5s_all(), dflt, &cString), "H5Dwrite", deckPath)
            }
        }
    }

    private func createStepAndTime(file: hid_t, element: String) throws {
        let step = try context.createTimeSeries(file, "\(element)/step", fileType: crucible_h5t_std_i64le(), frameShape: [],
                                                chunk: [Self.scalarChunk], chunkCacheBytes: 1 << 20)
        series.insert(Series(role: .step, path: "\(element)/step", frameShape: [], handle: step), at: 0)
        let time = try context.createTimeSeries(file, "\(element)/time", fileType: crucible_h5t_ieee_f64le(), frameShape: [],
                                                chunk: [Self.scalarChunk], chunkCacheBytes: 1 << 20)
        try context.writeVariableStringAttribute(time.id, "\(element)/time", "unit", Self.timeUnit)
        series.insert(Series(role: .time, path: "\(element)/time", frameShape: [], handle: time), at: 1)
    }

    private func linkStepAndTime(file: hid_t, from source: String, to element: String) throws {
        let dflt = crucible_h5p_default()
        for name in ["step", "time"] {
            try context.check(H5Lcreate_hard(file, "\(source)/\(name)", file, "\(element)/\(name)", dflt, dflt),
                              "H5Lcreate_hard", "\(element)/\(name)")
        }
    }

    private static func fileAccessList(_ context: H5Context) throws -> H5Handle {
        let fapl = try context.handle(H5Pcreate(crucible_h5p_file_access()), .propertyList, "H5Pcreate", "/")
        // HDF5 file format version 2 (1.8+) as the H5MD spec recommends; readable by any HDF5 >= 1.8.
        try context.check(H5Pset_libver_bounds(fapl.id, crucible_h5f_libver_v18(), crucible_h5f_libver_latest()),
                          "H5Pset_libver_bounds", "/")
        // No HDF5 file lock while writing: every frame is flushed, so a viewer (h5py, MDAnalysis)
        // may open the trajectory of a running simulation, and a lock left on a descriptor that
        // outlives its writer (seen once in the test suite: EAGAIN on reopening a finished run's
        // file to continue it) cannot stop a continuation. One process writes each file.
        try context.check(H5Pset_file_locking(fapl.id, false, true), "H5Pset_file_locking", "/")
        return fapl
    }

    private static func validateName(_ name: String, what: String, context: H5Context) throws {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw context.invalid(name, "invalid \(what) name '\(name)': must be non-empty and contain no '/'")
        }
    }

    // MARK: Reopening an existing file

    /// Opens an H5MD file written by this writer (or of the same layout) to append more frames,
    /// first dropping every frame whose step is greater than `truncateAfterStep` when given.
    /// Frames left half-written by an interrupted append are dropped as well.
    public init(appendingTo path: String, particleGroup: String? = nil, truncateAfterStep: Int? = nil) throws {
        let context = H5Context(path: path)
        self.context = context
        self.path = path
        var opened: (group: String, atoms: Int, fields: Set<Field>, observables: [String], frames: Int,
                     lastStep: Int?, lastTime: Double?, forceFactor: Double, varyingSpecies: [(number: Int32, symbol: String)]?)
            = ("", 0, [], [], 0, nil, nil, 1, nil)
        var series: [Series] = []
        var openedFile: H5Handle?
        try withHDF5 {
            let fapl = try Self.fileAccessList(context)
            let file = try context.handle(H5Fopen(path, crucible_h5f_acc_rdwr(), fapl.id), .file, "H5Fopen", "/")
            let c = context
            func openSeries(_ objectPath: String) throws -> H5Handle {
                let dapl = try c.handle(H5Pcreate(crucible_h5p_dataset_access()), .propertyList, "H5Pcreate", objectPath)
                try c.check(H5Pset_chunk_cache(dapl.id, 521, Self.chunkCacheBytes, 0.75), "H5Pset_chunk_cache", objectPath)
                return try c.handle(H5Dopen2(file.id, objectPath, dapl.id), .dataset, "H5Dopen2", objectPath)
            }

            guard try c.exists(file.id, "/h5md") else { throw c.invalid("/h5md", "not an H5MD file (no /h5md group)") }
            guard try c.exists(file.id, "/particles") else { throw c.invalid("/particles", "no particles group") }
            let groups = try c.children(file.id, "/particles")
            let group = particleGroup ?? groups.first ?? ""
            guard groups.contains(group) else {
                throw c.invalid("/particles", "no particle group '\(group)' (found: \(groups.joined(separator: ", ")))")
            }
            let base = "/particles/\(group)"

            // Time-dependent elements we know how to extend.
            var elements: [(role: Role, element: String, frameShape: [Int])] = []
            var atoms: Int?
            var fields = Set<Field>()
            for field in Field.allCases where try c.exists(file.id, "\(base)/\(field.rawValue)/value") {
                fields.insert(field)
                elements.append((.field(field), "\(base)/\(field.rawValue)", [atoms ?? -1, 3]))
                if atoms == nil {
                    let value = try c.openDataset(file.id, "\(base)/\(field.rawValue)/value")
                    let shape = try c.extents(value.id, "\(base)/\(field.rawValue)/value").shape
                    guard shape.count == 3, shape[2] == 3 else {
                        throw c.invalid("\(base)/\(field.rawValue)/value", "expected shape [frames][N][3], found \(shape)")
                    }
                    atoms = shape[1]
                }
            }
            guard let atomCount = atoms, fields.contains(.position) else {
                throw c.invalid("\(base)/position", "no position element to append to")
            }
            elements = elements.map { ($0.role, $0.element, $0.frameShape.map { $0 == -1 ? atomCount : $0 }) }
            // New forces are written in the unit the file already has.
            var forceFactor = 1.0
            if fields.contains(.force) {
                let forcePath = "\(base)/force/value"
                var unit: String?
                if try c.attributeExists(file.id, forcePath, "unit") { unit = try c.readStringAttribute(file.id, forcePath, "unit").first }
                switch unit {
                case Self.forceUnit: forceFactor = Self.kilojoulesPerMolePerElectronvolt
                case Self.metalForceUnit: forceFactor = 1
                default:
                    throw c.invalid(forcePath, "cannot append: force unit \(unit.map { "'\($0)'" } ?? "missing"), "
                                    + "expected '\(Self.forceUnit)' or '\(Self.metalForceUnit)'")
                }
            }
            guard try c.exists(file.id, "\(base)/box/edges/value") else {
                throw c.invalid("\(base)/box/edges", "missing time-dependent box edges")
            }
            elements.append((.box, "\(base)/box/edges", [3, 3]))
            // Species: a time-dependent element (group) when the file was created with varying species.
            var varyingSpecies: [(number: Int32, symbol: String)]?
            let speciesElement = "\(base)/species"
            if try c.exists(file.id, speciesElement), try c.objectType(file.id, speciesElement) == H5I_GROUP {
                let valuePath = "\(speciesElement)/value"
                guard try c.exists(file.id, valuePath) else {
                    throw c.invalid(speciesElement, "cannot append: time-dependent species without a value dataset")
                }
                let value = try c.openDataset(file.id, valuePath)
                let type = try c.handle(H5Dget_type(value.id), .datatype, "H5Dget_type", valuePath)
                guard H5Tget_class(type.id) == H5T_INTEGER else {
                    throw c.invalid(valuePath, "cannot append: species values are not integers")
                }
                varyingSpecies = try Self.speciesTable(file: file.id, context: c)
                elements.append((.species, speciesElement, [atomCount]))
            }
            var observables: [String] = []
            if try c.exists(file.id, "/observables") {
                for name in try c.children(file.id, "/observables") {
                    let element = "/observables/\(name)"
                    guard try c.objectType(file.id, element) == H5I_GROUP, try c.exists(file.id, "\(element)/value") else {
                        throw c.invalid(element, "cannot append: only time-dependent scalar observables are supported")
                    }
                    observables.append(name)
                    elements.append((.observable(name), element, []))
                }
            }

            // Open values and the distinct step/time datasets (hard links are opened once).
            var seen = Set<H5MDObjectIdentity>()
            var steps: [Series] = []
            var times: [Series] = []
            for (role, element, frameShape) in elements {
                let valuePath = "\(element)/value"
                let value = try openSeries(valuePath)
                let shape = try c.extents(value.id, valuePath).shape
                guard Array(shape.dropFirst()) == frameShape else {
                    throw c.invalid(valuePath, "expected frame shape \(frameShape), found \(Array(shape.dropFirst()))")
                }
                series.append(Series(role: role, path: valuePath, frameShape: frameShape, handle: value))
                for name in ["step", "time"] {
                    let objectPath = "\(element)/\(name)"
                    if name == "time", try !c.exists(file.id, objectPath) { continue }
                    guard try c.exists(file.id, objectPath) else { throw c.invalid(objectPath, "missing step dataset") }
                    let identity = try objectInfo(file: file.id, objectPath, context: c).identity
                    guard seen.insert(identity).inserted else { continue }
                    let dataset = try openSeries(objectPath)
                    guard try c.extents(dataset.id, objectPath).shape.count == 1 else {
                        throw c.invalid(objectPath, "cannot append: only explicit (one value per frame) step/time storage is supported")
                    }
                    let entry = Series(role: name == "step" ? .step : .time, path: objectPath, frameShape: [], handle: dataset)
                    if name == "step" { steps.append(entry) } else { times.append(entry) }
                }
            }

            // Frames present in every dataset; all step datasets must agree on them.
            var frames = Int.max
            for entry in series + steps + times { frames = min(frames, try c.extents(entry.handle.id, entry.path).shape[0]) }
            var stepValues: [Int64] = []
            for (index, entry) in steps.enumerated() {
                let values = Array(try c.readAll(entry.handle.id, entry.path, memType: crucible_h5t_native_int64(), zero: Int64(0)).prefix(frames))
                if index == 0 { stepValues = values } else if values != stepValues {
                    throw c.invalid(entry.path, "cannot append: elements are sampled at different steps")
                }
            }
            if let limit = truncateAfterStep {
                frames = stepValues.firstIndex(where: { $0 > Int64(limit) }) ?? frames
            }
            series = steps + times + series
            for entry in series where try c.extents(entry.handle.id, entry.path).shape[0] != frames {
                try c.resize(entry.handle.id, entry.path, frames: frames)
            }
            var lastTime: Double?
            if frames > 0, let time = times.first {
                lastTime = try c.readFrame(time.handle.id, time.path, frame: frames - 1, memType: crucible_h5t_native_double(), zero: 0.0).first
            }
            try c.check(H5Fflush(file.id, H5F_SCOPE_LOCAL), "H5Fflush", "/")
            opened = (group, atomCount, fields, observables, frames, frames > 0 ? Int(stepValues[frames - 1]) : nil, lastTime,
                      forceFactor, varyingSpecies)
            openedFile = file
        }
        self.particleGroup = opened.group
        self.atomCount = opened.atoms
        self.fields = opened.fields
        self.observableNames = opened.observables
        self.frameCount = opened.frames
        self.lastStep = opened.lastStep
        self.lastTime = opened.lastTime
        self.forceFactor = opened.forceFactor
        self.varyingSpecies = opened.varyingSpecies
        self.series = series
        self.file = openedFile
    }

    /// The species a file with time-dependent species may hold: the rows of its VMD structure module.
    private static func speciesTable(file: hid_t, context c: H5Context) throws -> [(number: Int32, symbol: String)] {
        let module = "/parameters/vmd_structure"
        guard try c.exists(file, "\(module)/indexOfSpecies"), try c.exists(file, "\(module)/name") else {
            throw c.invalid(module, "cannot append: time-dependent species but no VMD structure module naming them")
        }
        let indexPath = "\(module)/indexOfSpecies"
        let indexDataset = try c.openDataset(file, indexPath)
        let index = try c.readAll(indexDataset.id, indexPath, memType: crucible_h5t_native_int32(), zero: Int32(0))
        let names = try c.readStringDataset(file, "\(module)/name")
        guard names.count == index.count, Set(index).count == index.count else {
            throw c.invalid(module, "cannot append: expected one name per distinct indexOfSpecies entry, found \(index.count) entries and \(names.count) names")
        }
        return zip(index, names).sorted { $0.0 < $1.0 }.map { (number: $0.0, symbol: $0.1) }
    }

    /// Drops every frame whose step is greater than `afterStep` from all time-dependent datasets
    /// (for restarts). Returns the number of frames left. The file does not shrink on disk; the
    /// freed chunks are reused by later appends only within the same session.
    @discardableResult
    public static func truncate(path: String, afterStep: Int, particleGroup: String? = nil) throws -> Int {
        let writer = try H5MDWriter(appendingTo: path, particleGroup: particleGroup, truncateAfterStep: afterStep)
        let frames = writer.frameCount
        try writer.close()
        return frames
    }

    // MARK: Appending

    /// Appends one frame to every time-dependent dataset.
    /// - Parameters:
    ///   - step: must be greater than the previous frame's step.
    ///   - time: in ps, not smaller than the previous frame's time.
    ///   - cell: 9 values, row-major, rows = cell (edge) vectors, Å.
    ///   - positions, velocities, forces: 3N values each (Å, Å/ps, eV/Å); velocities/forces exactly
    ///     when the writer stores them. Forces are stored converted to the file's force unit.
    ///   - observables: a value for every observable declared at creation, and no other.
    ///   - species: each atom's species in this frame (one of `varyingSpecies`), exactly when the
    ///     file stores species per frame (created with `varyingSpecies`).
    public func append(step: Int, time: Double, cell: [Double], positions: [Double], velocities: [Double]? = nil,
                       forces: [Double]? = nil, observables: [String: Double] = [:], species: [Int32]? = nil) throws {
        try withHDF5 {
            guard let file, file.isOpen else { throw context.invalid("/", "append after close()") }
            try validateFrame(step: step, time: time, cell: cell, positions: positions, velocities: velocities,
                              forces: forces, observables: observables, species: species)
            let frame = frameCount
            do {
                for entry in series { try context.resize(entry.handle.id, entry.path, frames: frame + 1) }
                for entry in series {
                    func write(_ values: [Double]) throws {
                        try values.withUnsafeBytes { bytes in
                            try context.writeFrame(entry.handle.id, entry.path, frame: frame, frameShape: entry.frameShape,
                                                   memType: crucible_h5t_native_double(), bytes.baseAddress!)
                        }
                    }
                    switch entry.role {
                    case .step:
                        let value = Int64(step)
                        try withUnsafeBytes(of: value) { bytes in
                            try context.writeFrame(entry.handle.id, entry.path, frame: frame, frameShape: [],
                                                   memType: crucible_h5t_native_int64(), bytes.baseAddress!)
                        }
                    case .time: try write([time])
                    case .box: try write(cell)
                    case .species:
                        try species!.withUnsafeBytes { bytes in
                            try context.writeFrame(entry.handle.id, entry.path, frame: frame, frameShape: entry.frameShape,
                                                   memType: crucible_h5t_native_int32(), bytes.baseAddress!)
                        }
                    case .field(.position): try write(positions)
                    case .field(.velocity): try write(velocities!)
                    case .field(.force): try write(forceFactor == 1 ? forces! : forces!.map { $0 * forceFactor })
                    case .observable(let name): try write([observables[name]!])
                    }
                }
            } catch {
                // Leave the file as it was: every dataset back to `frame` frames.
                for entry in series { try? context.resize(entry.handle.id, entry.path, frames: frame) }
                throw error
            }
            frameCount = frame + 1
            lastStep = step
            lastTime = time
        }
    }

    private func validateFrame(step: Int, time: Double, cell: [Double], positions: [Double], velocities: [Double]?,
                               forces: [Double]?, observables: [String: Double], species: [Int32]?) throws {
        let c = context
        if let lastStep, step <= lastStep {
            throw c.invalid("step", "step \(step) must be greater than the previous frame's step \(lastStep)")
        }
        if let lastTime, !(time >= lastTime) {
            throw c.invalid("time", "time \(time) ps must not be smaller than the previous frame's time \(lastTime) ps")
        }
        guard cell.count == 9 else { throw c.invalid("cell", "expected 9 values (3x3, row-major), got \(cell.count)") }
        for (field, values) in [(Field.position, Optional(positions)), (.velocity, velocities), (.force, forces)] {
            if fields.contains(field) {
                guard let values else { throw c.invalid(field.rawValue, "this trajectory stores \(field.rawValue)s: pass them") }
                guard values.count == 3 * atomCount else {
                    throw c.invalid(field.rawValue, "expected \(3 * atomCount) values (3 x \(atomCount) atoms), got \(values.count)")
                }
            } else if values != nil {
                throw c.invalid(field.rawValue, "this trajectory was created without \(field.rawValue)s")
            }
        }
        for name in observableNames where observables[name] == nil {
            throw c.invalid("observables", "missing value for observable '\(name)'")
        }
        for name in observables.keys where !observableNames.contains(name) {
            throw c.invalid("observables", "unknown observable '\(name)' (declared: \(observableNames.joined(separator: ", ")))")
        }
        if let varyingSpecies {
            guard let species else { throw c.invalid("species", "this trajectory stores species per frame: pass them") }
            guard species.count == atomCount else {
                throw c.invalid("species", "expected \(atomCount) species values, got \(species.count)")
            }
            let known = Set(varyingSpecies.map(\.number))
            if let atom = species.firstIndex(where: { !known.contains($0) }) {
                throw c.invalid("species", "atom \(atom): species \(species[atom]) is not one of the file's species "
                                + "(\(varyingSpecies.map { "\($0.number) \($0.symbol)" }.joined(separator: ", ")))")
            }
        } else if species != nil {
            throw c.invalid("species", "this trajectory was created with time-independent species (no varyingSpecies)")
        }
    }

    // MARK: Flushing and closing

    /// Writes cached data and metadata to disk (H5Fflush); the file is then readable as of now.
    public func flush() throws {
        try withHDF5 {
            guard let file, file.isOpen else { throw context.invalid("/", "flush after close()") }
            try context.check(H5Fflush(file.id, H5F_SCOPE_LOCAL), "H5Fflush", "/")
        }
    }

    /// Flushes and closes every HDF5 handle. Further appends throw; calling close again is a no-op.
    public func close() throws {
        try withHDF5 {
            guard let file, file.isOpen else { return }
            defer { closeQuietly() }
            try context.check(H5Fflush(file.id, H5F_SCOPE_LOCAL), "H5Fflush", "/")
            for entry in series where entry.handle.close() < 0 {
                throw context.error("H5Dclose", entry.path)
            }
            series = []
            if file.close() < 0 { throw context.error("H5Fclose", "/") }
            self.file = nil
        }
    }

    private func closeQuietly() {
        withHDF5 {
            for entry in series { entry.handle.close() }
            series = []
            file?.close()
            file = nil
            _ = hdf5ErrorStackDescription()  // clear
        }
    }

    deinit { closeQuietly() }
}
