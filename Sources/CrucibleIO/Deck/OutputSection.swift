/// `output`: thermo table, trajectory and final structure.
enum OutputSection {
    static let keys = ["thermo", "trajectory", "final_structure", "checkpoint", "sro", "composition_profile"]
    static let profileKeys = ["every", "axis", "bins", "file", "start"]
    static let sroKeys = ["every", "shells", "file", "start"]
    static let checkpointKeys = ["file", "every"]
    static let thermoKeys = ["every", "file", "columns"]
    static let trajectoryKeys = ["file", "every", "fields", "by", "beads"]

    static let defaultPlan = OutputPlan(thermo: ThermoOutputPlan(every: 100, path: nil, columns: ThermoOutputPlan.defaultColumns),
                                        trajectory: nil, finalStructurePath: nil, checkpoint: nil)

    /// `inputPaths` are the files the run reads: writing over one of them is refused.
    static func decode(_ value: DeckValue?, inputPaths: Set<String>, _ context: DeckContext) -> OutputPlan? {
        guard let value else { return defaultPlan }
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        let thermo = map.optional("thermo").read(default: defaultPlan.thermo) { decodeThermo($0, context) }
        let trajectory = OptionalSetting(map.optional("trajectory")) { decodeTrajectory($0, context) }
        let finalStructure = OptionalSetting(map.optional("final_structure")) {
            FileReferences.outputFile($0, context, what: "the final structure file", extensions: [".xyz", ".extxyz"])
        }
        let checkpoint = OptionalSetting(map.optional("checkpoint")) { decodeCheckpoint($0, context) }
        let sro = OptionalSetting(map.optional("sro")) { decodeSRO($0, context) }
        let profile = OptionalSetting(map.optional("composition_profile")) { decodeProfile($0, context) }
        let clashFree = checkDistinct(map, written: [
            ("thermo", thermo?.path), ("trajectory", trajectory.value?.path), ("final_structure", finalStructure.value),
            ("checkpoint", checkpoint.value?.path), ("sro", sro.value?.path), ("composition_profile", profile.value?.path),
        ], inputPaths: inputPaths, context)
        guard let thermo, !trajectory.isInvalid, !finalStructure.isInvalid, !checkpoint.isInvalid, !sro.isInvalid, !profile.isInvalid, clashFree else { return nil }
        return OutputPlan(thermo: thermo, trajectory: trajectory.value, finalStructurePath: finalStructure.value,
                          checkpoint: checkpoint.value, sro: sro.value, compositionProfile: profile.value)
    }

    private static func decodeThermo(_ value: DeckValue, _ context: DeckContext) -> ThermoOutputPlan? {
        guard let map = MapReader(value, allowed: thermoKeys, context: context) else { return nil }
        let every = map.optional("every").read(default: 100) { $0.integer(context, atLeast: 1) }
        let path = OptionalSetting(map.optional("file")) {
            FileReferences.outputFile($0, context, what: "the thermo file", extensions: [])
        }
        let columns = map.optional("columns").read(default: ThermoOutputPlan.defaultColumns) { $0.choiceList(context, ThermoOutputPlan.Column.self) }
        guard let every, !path.isInvalid, let columns else { return nil }
        return ThermoOutputPlan(every: every, path: path.value, columns: columns)
    }

    private static func decodeTrajectory(_ value: DeckValue, _ context: DeckContext) -> TrajectoryOutputPlan? {
        guard let map = MapReader(value, allowed: trajectoryKeys, context: context) else { return nil }
        // MDAnalysis picks its H5MD reader by the .h5md extension only: mda.Universe("x.h5") and
        // mda.Universe("top.xyz", "x.h5") fail; only the second with format="H5MD" opens a .h5 name.
        let path = map.required("file", context, hint: "an H5MD file such as traj.h5md")
            .flatMap {
                FileReferences.outputFile($0, context, what: "the trajectory file", extensions: [".h5md"],
                                          why: "MDAnalysis recognises H5MD trajectories by this extension only (a .h5 name needs a topology file and format='H5MD')")
            }
        let every = map.optional("every").read(default: 100) { $0.integer(context, atLeast: 1) }
        let fields = map.optional("fields").read(default: [.position]) { $0.choiceList(context, TrajectoryOutputPlan.Field.self) }
        let by = OptionalSetting(map.optional("by")) { $0.choice(context, TrajectoryOutputPlan.Grouping.self) }
        let beads = map.optional("beads").read(default: false) { $0.flag(context) }
        guard let path, let every, let fields, !by.isInvalid, let beads else { return nil }
        return TrajectoryOutputPlan(path: path, every: every, fields: fields, by: by.value, beads: beads)
    }

    private static func decodeCheckpoint(_ value: DeckValue, _ context: DeckContext) -> CheckpointPlan? {
        guard let map = MapReader(value, allowed: checkpointKeys, context: context) else { return nil }
        let path = map.required("file", context, hint: "a checkpoint file such as run.chk.h5")
            .flatMap { FileReferences.outputFile($0, context, what: "the checkpoint file", extensions: [".h5"]) }
        let every = map.optional("every").read(default: 1000) { $0.integer(context, atLeast: 1) }
        guard let path, let every else { return nil }
        return CheckpointPlan(path: path, every: every)
    }

    private static func decodeSRO(_ value: DeckValue, _ context: DeckContext) -> SROPlan? {
        guard let map = MapReader(value, allowed: sroKeys, context: context) else { return nil }
        let every = map.optional("every").read(default: 100) { $0.integer(context, atLeast: 1) }
        let start = map.optional("start").read(default: 0) { $0.integer(context, atLeast: 0) }
        let path = OptionalSetting(map.optional("file")) { FileReferences.outputFile($0, context, what: "the SRO file", extensions: []) }
        let shells = map.required("shells", context, hint: "outer radii of the neighbour shells in Å, e.g. [3.0, 3.9] for fcc a = 3.52")
            .flatMap { shellsValue -> [Double]? in
                guard let items = shellsValue.list(context, of: "radii in Å"), !items.isEmpty else {
                    context.report("must list at least one shell radius", about: shellsValue); return nil
                }
                let radii = items.map { $0.number(context, .positive("Å")) }
                guard radii.allSatisfy({ $0 != nil }) else { return nil }
                let r = radii.map { $0! }
                guard zip(r, r.dropFirst()).allSatisfy({ $0 < $1 }) else {
                    context.report("shell radii must increase", about: shellsValue); return nil
                }
                return r
            }
        guard let every, let start, let shells, !path.isInvalid else { return nil }
        return SROPlan(every: every, shells: shells, path: path.value, start: start)
    }

    private static func decodeProfile(_ value: DeckValue, _ context: DeckContext) -> CompositionProfilePlan? {
        guard let map = MapReader(value, allowed: profileKeys, context: context) else { return nil }
        let every = map.optional("every").read(default: 100) { $0.integer(context, atLeast: 1) }
        let start = map.optional("start").read(default: 0) { $0.integer(context, atLeast: 0) }
        let bins = map.optional("bins").read(default: 20) { $0.integer(context, atLeast: 1) }
        let axis = map.optional("axis").read(default: CompositionProfilePlan.Axis.z) { $0.choice(context, CompositionProfilePlan.Axis.self) }
        let path = OptionalSetting(map.optional("file")) { FileReferences.outputFile($0, context, what: "the composition profile file", extensions: []) }
        guard let every, let start, let bins, let axis, !path.isInvalid else { return nil }
        return CompositionProfilePlan(every: every, axis: axis, bins: bins, path: path.value, start: start)
    }

    /// Two outputs into one file, or an output over an input, would destroy data.
    private static func checkDistinct(_ map: MapReader, written: [(key: String, path: String?)], inputPaths: Set<String>,
                                      _ context: DeckContext) -> Bool {
        var owner: [String: String] = [:]
        var ok = true
        for (key, path) in written {
            guard let path, let value = map.optional(key) else { continue }
            if inputPaths.contains(path) {
                context.report("output \(DeckValue.printable(path, limit: 300)) is also an input of this run; writing it would destroy the input",
                               at: value.anchorPosition, path: value.path)
                ok = false
            } else if let first = owner[path] {
                context.report("'\(key)' and '\(first)' would both write \(DeckValue.printable(path, limit: 300)); give them different files",
                               at: value.anchorPosition, path: value.path)
                ok = false
            }
            owner[path] = owner[path] ?? key
        }
        return ok
    }
}
