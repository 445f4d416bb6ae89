// libFuzzer entry for the EAM and extended-XYZ readers and what is built from them. Compiled only by
// LibFuzzer/run.sh, into one module with CrucibleCore and the readers' sources (which is why it
// calls them without imports); in the test target it is empty.
#if CRUCIBLE_LIBFUZZER
import Foundation

/// The reader under fuzz, from CRUCIBLE_LIBFUZZER_TARGET: funcfl, setfl, fs or extxyz.
private let fuzzTarget = ProcessInfo.processInfo.environment["CRUCIBLE_LIBFUZZER_TARGET"] ?? "funcfl"

/// A refusal must name the file and a line of it; anything else is a bug, reported as a crash.
private func checkPlaced(_ error: Error, file: String, bytes: UnsafeRawBufferPointer) {
    guard let e = error as? InputError else { fatalError("not an InputError: \(error)") }
    let lines = max(1, bytes.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 } + (bytes.last == 0x0A || bytes.isEmpty ? 0 : 1))
    guard e.file == file, let line = e.line, (1...lines).contains(line), !e.message.isEmpty else {
        fatalError("misplaced error (file has \(lines) lines): \(e)")
    }
}

/// Splines, binding and one evaluation of a periodic 4-atom cell and of a flat open cluster.
private func exercise(_ tables: EAMTables) {
    var species = SpeciesTable()
    for symbol in tables.elements where species.count < 2 { _ = species.add(symbol) }
    guard species.count > 0, let eam = try? EmbeddedAtom(splines: EAMSplines(tables), speciesTable: species) else { return }
    let last = Int32(species.count - 1)
    if tables.cutoff <= 25 {  // the ghost count grows as (cutoff / cell)³: a known Core/Engine limit
        var crystal = Configuration(cell: .orthorhombic(3.6, 3.6, 3.6),
                                    positions: [0, 0, 0, 1.8, 1.8, 0, 1.8, 0, 1.8, 0, 1.8, 1.8],
                                    species: [0, last, 0, last], speciesTable: species)
        var evaluator = Evaluator(potential: eam, skin: 0.3, threads: 1)
        evaluator.evaluate(&crystal)
    }
    var cluster = Configuration(cell: Cell(matrix: [10, 0, 0, 0, 10, 0, 0, 0, 10], periodic: [false, false, false]),
                                positions: [1, 1, 1, 1, 1, 1, 3.2, 1, 2.1], species: [0, 0, last], speciesTable: species)
    var evaluator = Evaluator(potential: eam, skin: 0.3, threads: 1)
    evaluator.evaluate(&cluster)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func crucibleFuzzOneInput(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: count)
    let text = String(decoding: bytes, as: UTF8.self)
    let file = "fuzz." + fuzzTarget
    do {
        switch fuzzTarget {
        case "setfl", "fs":
            let parsed = try SetflFile(text: text, fileName: file, variant: fuzzTarget == "fs" ? .finnisSinclair : .alloy)
            exercise(EAMTables(setfl: parsed))
        case "extxyz":
            for frame in try ExtXYZReader.frames(in: Array(bytes), fileName: file).prefix(3) {
                _ = try? Configuration(frame: frame, file: file)
            }
        default:
            let parsed = try FuncflFile(text: text, fileName: file)
            guard let tables = try? EAMTables(funcfl: [parsed], elements: ["Cu"]) else {
                fatalError("EAMTables(funcfl:) refused a file FuncflFile accepted")
            }
            exercise(tables)
        }
    } catch {
        checkPlaced(error, file: file, bytes: bytes)
    }
    return 0
}
#endif
