/// `system.structure`: a frame of an extended XYZ file.
enum StructureSection {
    static let keys = ["file", "frame"]

    static func decode(_ value: DeckValue, _ context: DeckContext) -> StructureFilePlan? {
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        let path = map.required("file", context, hint: "an extended XYZ file such as start.xyz")
            .flatMap { FileReferences.existingFile($0, context, what: "a structure file", extensions: [".xyz", ".extxyz"]) }
        let frame = map.optional("frame").read(default: -1) { $0.signedInteger(context) }
        guard let path, let frame else { return nil }
        return StructureFilePlan(path: path, frame: frame)
    }
}
