import CrucibleCore
import CHDF5
import Foundation
import Testing
@testable import CrucibleIO

/// A scratch directory removed at the end of the test.
private final class ScratchDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("h5md-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Deterministic, non-round numbers so bitwise comparisons mean something.
private struct Frame {
    var step: Int
    var time: Double
    var cell: [Double]
    var positions: [Double]
    var velocities: [Double]
    var forces: [Double]
    var observables: [String: Double]

    static func make(index: Int, atoms: Int, seed: Double = 0) -> Frame {
        func value(_ i: Int, _ salt: Double) -> Double { sin(Double(i) * 1.618_033_988_7 + salt + seed) * 7.3 + Double(i) * 0.013 }
        let k = Double(index)
        // Triclinic cell: rows a, b, c with off-diagonal tilt, slowly changing.
        let cell = [10.0 + 0.01 * k, 0.0, 0.0,
                    2.5 - 0.003 * k, 9.0 + 0.02 * k, 0.0,
                    -1.25 + 0.001 * k, 1.75, 11.0 - 0.015 * k]
        return Frame(step: 100 * index, time: 0.1 * k + 0.05,
                     cell: cell,
                     positions: (0..<(3 * atoms)).map { value($0, 0.1 * k) },
                     velocities: (0..<(3 * atoms)).map { value($0, 10 + 0.1 * k) * 1e-2 },
                     forces: (0..<(3 * atoms)).map { value($0, 20 + 0.1 * k) * 0.5 },
                     observables: ["potential_energy": -3.27 * Double(atoms) + 0.001 * k,
                                   "kinetic_energy": 0.0387 * Double(atoms) + 0.0001 * k,
                                   "temperature": 300.0 + 1.1 * k])
    }
}

private let observableSpecs: [H5MDWriter.Observable] = [
    .init("potential_energy", unit: "eV"), .init("kinetic_energy", unit: "eV"), .init("temperature", unit: "K"),
]
private let species: [Int32] = [14, 8, 8, 1, 29]
private let elements = ["Si", "O", "O", "H", "Cu"]
/// The particle group the writer uses by default (the one MDAnalysis finds).
private let base = "/particles/trajectory"
private let deck = "system:\n  structure: quartz.xyz\nrun:\n  steps: 400  # ünïcode ok\n"

private func bits(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }
/// Forces as the file stores them: eV/Å converted to kJ mol-1 Angstrom-1.
private func stored(forces: [Double]) -> [Double] { forces.map { $0 * H5MDWriter.kilojoulesPerMolePerElectronvolt } }

@discardableResult
private func writeSample(to path: String, frames: [Frame], fields: Set<H5MDWriter.Field> = [.position, .velocity, .force],
                         particleGroup: String = "trajectory", elements: [String]? = elements) throws -> H5MDWriter {
    let writer = try H5MDWriter(path: path, author: "Test Author", creatorVersion: "0.1.0-test", particleGroup: particleGroup,
                                atomCount: species.count, species: species, elements: elements, pbc: [true, true, false],
                                fields: fields, observables: observableSpecs, deckText: deck)
    for frame in frames {
        try writer.append(step: frame.step, time: frame.time, cell: frame.cell, positions: frame.positions,
                          velocities: fields.contains(.velocity) ? frame.velocities : nil,
                          forces: fields.contains(.force) ? frame.forces : nil, observables: frame.observables)
    }
    return writer
}

/// Writes the JSON sidecar Tools/check_h5md.py compares against.
private func writeSidecar(_ path: String, h5md: String, frames: [Frame], particleGroup: String) throws {
    let sidecar: [String: Any] = [
        "file": h5md,
        "particle_group": particleGroup,
        "atom_count": species.count,
        "species": species.map { Int($0) },
        "elements": elements,
        "steps": frames.map(\.step),
        "times": frames.map(\.time),
        "cells": frames.map(\.cell),
        "positions": frames.map(\.positions),
        "velocities": frames.map(\.velocities),
        "forces": frames.map { stored(forces: $0.forces) },  // as in the file: kJ mol-1 Angstrom-1
        "observables": Dictionary(uniqueKeysWithValues: observableSpecs.map { spec in (spec.name, frames.map { $0.observables[spec.name]! }) }),
        "boundary": ["periodic", "periodic", "none"],
        "deck": deck,
    ]
    let data = try JSONSerialization.data(withJSONObject: sidecar, options: [.prettyPrinted, .sortedKeys])
    try data.write(to: URL(fileURLWithPath: path))
}

@Suite("H5MD writer and reader")
struct H5MDTests {
    @Test func roundTripIsBitwise() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("traj.h5")
        let frames = (0..<4).map { Frame.make(index: $0, atoms: species.count) }
        let writer = try writeSample(to: path, frames: frames)
        #expect(writer.frameCount == 4)
        #expect(writer.lastStep == 300)
        try writer.close()
        try writer.close()  // idempotent

        let reader = try H5MDReader(path: path)
        #expect(reader.particleGroup == "trajectory")
        #expect(reader.atomCount == species.count)
        #expect(reader.frameCount == frames.count)
        #expect(reader.fields == [.position, .velocity, .force])
        #expect(try reader.steps() == frames.map(\.step))
        #expect(bits(try reader.times()) == bits(frames.map(\.time)))
        for (k, frame) in frames.enumerated() {
            #expect(bits(try reader.positions(frame: k)) == bits(frame.positions))
            #expect(bits(try reader.velocities(frame: k)) == bits(frame.velocities))
            #expect(bits(try reader.forces(frame: k)) == bits(stored(forces: frame.forces)))
            #expect(bits(try reader.box(frame: k)) == bits(frame.cell))
        }
        #expect(try reader.species() == species)
        #expect(try reader.elements() == elements)
        #expect(try reader.observableNames() == ["kinetic_energy", "potential_energy", "temperature"])
        for spec in observableSpecs {
            #expect(bits(try reader.observable(spec.name)) == bits(frames.map { $0.observables[spec.name]! }))
            #expect(try reader.unit(of: "/observables/\(spec.name)/value") == spec.unit)
        }
        #expect(try reader.deckText() == deck)

        // Metadata required by H5MD 1.1 and read by MDAnalysis.
        #expect(try reader.intAttribute("version", of: "/h5md") == [1, 1])
        #expect(try reader.stringAttribute("name", of: "/h5md/author") == ["Test Author"])
        #expect(try reader.stringAttribute("name", of: "/h5md/creator") == ["Crucible"])
        #expect(try reader.stringAttribute("version", of: "/h5md/creator") == ["0.1.0-test"])
        #expect(try reader.intAttribute("dimension", of: "\(base)/box") == [3])
        #expect(try reader.boundary() == ["periodic", "periodic", "none"])
        #expect(try reader.unit(of: "\(base)/position/value") == "Angstrom")
        #expect(try reader.unit(of: "\(base)/velocity/value") == "Angstrom ps-1")
        #expect(try reader.unit(of: "\(base)/force/value") == "kJ mol-1 Angstrom-1")
        #expect(try reader.unit(of: "\(base)/box/edges/value") == "Angstrom")
        #expect(try reader.unit(of: "\(base)/position/time") == "ps")
        #expect(try reader.unit(of: "\(base)/position/step") == nil)

        // For Tools/check_h5md.py: CRUCIBLE_H5MD_EXPORT=DIR swift test --filter roundTripIsBitwise
        if let exportDirectory = ProcessInfo.processInfo.environment["CRUCIBLE_H5MD_EXPORT"] {
            try FileManager.default.createDirectory(atPath: exportDirectory, withIntermediateDirectories: true)
            let exported = exportDirectory + "/roundtrip.h5md"
            try? FileManager.default.removeItem(atPath: exported)
            try FileManager.default.copyItem(atPath: path, toPath: exported)
            try writeSidecar(exportDirectory + "/roundtrip.json", h5md: exported, frames: frames, particleGroup: "trajectory")
        }
    }

    @Test func stepAndTimeAreHardLinks() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("links.h5")
        try writeSample(to: path, frames: (0..<3).map { Frame.make(index: $0, atoms: species.count) }).close()
        let reader = try H5MDReader(path: path)
        let elements = ["\(base)/position", "\(base)/box/edges", "\(base)/velocity",
                        "\(base)/force"] + observableSpecs.map { "/observables/\($0.name)" }
        for name in ["step", "time"] {
            let reference = try reader.objectInfo("\(base)/position/\(name)")
            #expect(reference.hardLinkCount == elements.count)
            for element in elements {
                let info = try reader.objectInfo("\(element)/\(name)")
                #expect(info.identity == reference.identity, "\(element)/\(name) is not a hard link to position/\(name)")
            }
        }
        let step = try reader.objectInfo("\(base)/position/step")
        let time = try reader.objectInfo("\(base)/position/time")
        let value = try reader.objectInfo("\(base)/position/value")
        #expect(step.identity != time.identity)
        #expect(value.identity != step.identity)
        #expect(value.hardLinkCount == 1)
    }

    @Test func timeSeriesAreChunkedAndExtendible() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("layout.h5")
        try writeSample(to: path, frames: (0..<5).map { Frame.make(index: $0, atoms: species.count) }).close()
        let reader = try H5MDReader(path: path)
        let n = species.count
        for field in ["position", "velocity", "force"] {
            let layout = try reader.layout(of: "\(base)/\(field)/value")
            #expect(layout.shape == [5, n, 3])
            #expect(layout.maxShape == [nil, n, 3])
            #expect(layout.chunk == H5MDWriter.particleChunkShape(atomCount: n))
        }
        #expect(try reader.layout(of: "\(base)/box/edges/value").shape == [5, 3, 3])
        #expect(try reader.layout(of: "\(base)/box/edges/value").maxShape == [nil, 3, 3])
        #expect(try reader.layout(of: "\(base)/position/step").maxShape == [nil])
        #expect(try reader.layout(of: "/observables/temperature/value").maxShape == [nil])
        #expect(try reader.layout(of: "/observables/temperature/value").chunk != nil)
        let speciesLayout = try reader.layout(of: "\(base)/species")
        #expect(speciesLayout.shape == [n] && speciesLayout.maxShape == [n] && speciesLayout.chunk == nil)
    }

    @Test func chunkPolicy() {
        // Small systems: several frames per ~1 MiB chunk; large: one frame per chunk; huge: split atoms.
        #expect(H5MDWriter.particleChunkShape(atomCount: 5) == [256, 5, 3])
        #expect(H5MDWriter.particleChunkShape(atomCount: 10_000) == [4, 10_000, 3])
        #expect(H5MDWriter.particleChunkShape(atomCount: 1_000_000) == [1, 1_000_000, 3])
        #expect(H5MDWriter.particleChunkShape(atomCount: 10_000_000) == [1, (64 << 20) / 24, 3])
    }

    @Test func positionsOnlyTrajectory() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("positions.h5")
        let frames = (0..<3).map { Frame.make(index: $0, atoms: species.count) }
        try writeSample(to: path, frames: frames, fields: []).close()
        let reader = try H5MDReader(path: path)
        #expect(reader.fields == [.position])
        #expect(try !reader.exists("\(base)/velocity"))
        #expect(bits(try reader.positions(frame: 2)) == bits(frames[2].positions))
        #expect(throws: InputError.self) { try reader.velocities(frame: 0) }
    }

    /// Reads a time-independent dataset through the internal helpers (the reader has no public call for these).
    private func intDataset(_ path: String, _ objectPath: String) throws -> [Int32] {
        try withHDF5 {
            let context = H5Context(path: path)
            let file = try context.handle(H5Fopen(path, crucible_h5f_acc_rdonly(), crucible_h5p_default()), .file, "H5Fopen", "/")
            let dataset = try context.openDataset(file.id, objectPath)
            return try context.readAll(dataset.id, objectPath, memType: crucible_h5t_native_int32(), zero: Int32(0))
        }
    }

    private func stringDataset(_ path: String, _ objectPath: String) throws -> [String] {
        try withHDF5 {
            let context = H5Context(path: path)
            let file = try context.handle(H5Fopen(path, crucible_h5f_acc_rdonly(), crucible_h5p_default()), .file, "H5Fopen", "/")
            return try context.readStringDataset(file.id, objectPath)
        }
    }

    @Test func elementsAreStoredInTheVMDStructureModule() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("elements.h5md")
        try writeSample(to: path, frames: [Frame.make(index: 0, atoms: species.count)]).close()
        do {
            let reader = try H5MDReader(path: path)
            defer { reader.close() }
            #expect(try reader.elements() == elements)
            #expect(try reader.species() == species)
            #expect(try reader.intAttribute("version", of: "/h5md/modules/vmd_structure") == [1, 0])
        }
        // One row per distinct species value, ascending; name and type are the element symbol.
        let module = "/parameters/vmd_structure"
        #expect(try intDataset(path, "\(module)/indexOfSpecies") == [1, 8, 14, 29])
        #expect(try stringDataset(path, "\(module)/name") == ["H", "O", "Si", "Cu"])
        #expect(try stringDataset(path, "\(module)/type") == ["H", "O", "Si", "Cu"])
        #expect(try intDataset(path, "\(module)/atomicnumber") == [1, 8, 14, 29])
        // The deck still sits next to the module in /parameters.
        #expect(try H5MDReader(path: path).deckText() == deck)

        // Without elements there is no module (and nothing claims one).
        let bare = scratch.path("bare.h5md")
        try writeSample(to: bare, frames: [], elements: nil).close()
        let reader = try H5MDReader(path: bare)
        defer { reader.close() }
        #expect(try reader.elements() == nil)
        #expect(try !reader.exists("/parameters/vmd_structure"))
        #expect(try !reader.exists("/h5md/modules"))
        #expect(try reader.deckText() == deck)
    }

    @Test func elementsThatCannotBeNamedPerSpeciesAreRefused() throws {
        let scratch = try ScratchDirectory()
        func create(species: [Int32], elements: [String]) throws {
            _ = try H5MDWriter(path: scratch.path("bad.h5md"), author: "x", creatorVersion: "0", atomCount: species.count,
                               species: species, elements: elements)
        }
        for (values, symbols, fragment) in [([Int32(1), 2], ["H"], "expected 2 element symbols"),
                                            ([1, 1, 2], ["H", "He", "He"], "species 1 is 'H' for an earlier atom but 'He' here"),
                                            ([1, 2], ["H", ""], "atom 1: the element symbol must be a non-empty string")] {
            do {
                try create(species: values, elements: symbols)
                Issue.record("expected an InputError mentioning '\(fragment)'")
            } catch let error as InputError {
                #expect(error.key == "elements")
                #expect(error.description.contains(fragment), "\(error)")
            }
        }
        // Two species values may share a symbol (e.g. two charge states): each gets its row.
        let path = scratch.path("shared.h5md")
        try H5MDWriter(path: path, author: "x", creatorVersion: "0", atomCount: 3, species: [3, 1, 3],
                       elements: ["Fe", "Fe", "Fe"]).close()
        #expect(try H5MDReader(path: path).elements() == ["Fe", "Fe", "Fe"])
        #expect(try intDataset(path, "/parameters/vmd_structure/indexOfSpecies") == [1, 3])
    }

    @Test func appendingContinuesInTheFileForceUnit() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("units.h5md")
        let frames = (0..<3).map { Frame.make(index: $0, atoms: species.count) }
        try writeSample(to: path, frames: [frames[0]]).close()
        func setForceUnit(_ unit: String) throws {
            try withHDF5 {
                let context = H5Context(path: path)
                let file = try context.handle(H5Fopen(path, crucible_h5f_acc_rdwr(), crucible_h5p_default()), .file, "H5Fopen", "/")
                let dataset = try context.openDataset(file.id, "\(base)/force/value")
                try context.check(H5Adelete(dataset.id, "unit"), "H5Adelete", "unit")
                try context.writeVariableStringAttribute(dataset.id, "\(base)/force/value", "unit", unit)
            }
        }
        func append(_ frame: Frame) throws {
            let writer = try H5MDWriter(appendingTo: path)
            try writer.append(step: frame.step, time: frame.time, cell: frame.cell, positions: frame.positions,
                              velocities: frame.velocities, forces: frame.forces, observables: frame.observables)
            try writer.close()
        }
        // A file of an earlier version (forces in eV Angstrom-1) keeps getting eV/Å.
        try setForceUnit("eV Angstrom-1")
        try append(frames[1])
        do {
            let reader = try H5MDReader(path: path)
            defer { reader.close() }
            #expect(try reader.unit(of: "\(base)/force/value") == "eV Angstrom-1")
            #expect(bits(try reader.forces(frame: 0)) == bits(stored(forces: frames[0].forces)))  // untouched
            #expect(bits(try reader.forces(frame: 1)) == bits(frames[1].forces))
        }
        // A unit this writer does not write cannot be continued without lying.
        try setForceUnit("kcal mol-1 Angstrom-1")
        do {
            try append(frames[2])
            Issue.record("expected appending to refuse an unknown force unit")
        } catch let error as InputError {
            #expect(error.description.contains("cannot append: force unit 'kcal mol-1 Angstrom-1'"), "\(error)")
        }
        #expect(try H5MDReader(path: path).frameCount == 2)
    }

    @Test func truncateThenAppend() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("restart.h5")
        let frames = (0..<5).map { Frame.make(index: $0, atoms: species.count) }  // steps 0,100,...,400
        try writeSample(to: path, frames: frames).close()

        #expect(try H5MDWriter.truncate(path: path, afterStep: 250) == 3)
        do {
            let reader = try H5MDReader(path: path)
            defer { reader.close() }
            #expect(reader.frameCount == 3)
            #expect(try reader.steps() == [0, 100, 200])
            #expect(try reader.observable("temperature").count == 3)
            #expect(try reader.layout(of: "\(base)/box/edges/value").shape == [3, 3, 3])
        }

        // Restart: reopen, continue from step 300 with different data.
        let restarted = (3..<6).map { Frame.make(index: $0, atoms: species.count, seed: 0.5) }
        let writer = try H5MDWriter(appendingTo: path)
        #expect(writer.frameCount == 3 && writer.lastStep == 200 && writer.atomCount == species.count)
        #expect(writer.fields == [.position, .velocity, .force])
        #expect(writer.observableNames == ["kinetic_energy", "potential_energy", "temperature"])
        #expect(throws: InputError.self) {  // step must increase past the kept frames
            try writer.append(step: 200, time: 9, cell: restarted[0].cell, positions: restarted[0].positions,
                              velocities: restarted[0].velocities, forces: restarted[0].forces, observables: restarted[0].observables)
        }
        for frame in restarted {
            try writer.append(step: frame.step, time: frame.time, cell: frame.cell, positions: frame.positions,
                              velocities: frame.velocities, forces: frame.forces, observables: frame.observables)
        }
        try writer.close()

        let expected = Array(frames.prefix(3)) + restarted
        let reader = try H5MDReader(path: path)
        defer { reader.close() }
        #expect(reader.frameCount == 6)
        #expect(try reader.steps() == expected.map(\.step))
        #expect(bits(try reader.times()) == bits(expected.map(\.time)))
        for (k, frame) in expected.enumerated() {
            #expect(bits(try reader.positions(frame: k)) == bits(frame.positions))
            #expect(bits(try reader.forces(frame: k)) == bits(stored(forces: frame.forces)))
            #expect(bits(try reader.box(frame: k)) == bits(frame.cell))
        }
        #expect(try reader.elements() == elements)  // time-independent parts survive truncation and appends
        #expect(bits(try reader.observable("temperature")) == bits(expected.map { $0.observables["temperature"]! }))
        // Still hard-linked after the resize.
        #expect(try reader.objectInfo("/observables/temperature/step").identity == reader.objectInfo("\(base)/position/step").identity)
        reader.close()
        #expect(throws: InputError.self) { try reader.steps() }  // closed

        // Truncating past the end keeps everything; before the start empties the trajectory.
        #expect(try H5MDWriter.truncate(path: path, afterStep: 10_000) == 6)
        #expect(try H5MDWriter.truncate(path: path, afterStep: -1) == 0)
        #expect(try H5MDReader(path: path).frameCount == 0)
        let emptied = try H5MDWriter(appendingTo: path)
        #expect(emptied.lastStep == nil)
        try emptied.append(step: 0, time: 0, cell: frames[0].cell, positions: frames[0].positions, velocities: frames[0].velocities,
                           forces: frames[0].forces, observables: frames[0].observables)
        try emptied.close()
        #expect(try H5MDReader(path: path).frameCount == 1)
    }

    @Test func reopenRepairsInterruptedAppendAndDeinitCloses() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("crash.h5")
        let frames = (0..<4).map { Frame.make(index: $0, atoms: species.count) }
        do {  // dropped without close(): deinit closes the file
            let writer = try writeSample(to: path, frames: Array(frames.prefix(3)))
            #expect(writer.frameCount == 3)
        }
        // Simulate a crash in the middle of an append: some datasets already grew by one frame.
        try withHDF5 {
            let context = H5Context(path: path)
            let file = try context.handle(H5Fopen(path, crucible_h5f_acc_rdwr(), crucible_h5p_default()), .file, "H5Fopen", "/")
            for objectPath in ["\(base)/position/value", "/observables/temperature/value"] {
                let dataset = try context.openDataset(file.id, objectPath)
                try context.resize(dataset.id, objectPath, frames: 4)
            }
        }
        do {
            let reader = try H5MDReader(path: path)
            defer { reader.close() }
            #expect(try reader.layout(of: "\(base)/position/value").shape[0] == 4)
            #expect(try reader.steps().count == 3)
        }
        let writer = try H5MDWriter(appendingTo: path)
        #expect(writer.frameCount == 3 && writer.lastStep == 200)
        let f = frames[3]
        try writer.append(step: f.step, time: f.time, cell: f.cell, positions: f.positions, velocities: f.velocities,
                          forces: f.forces, observables: f.observables)
        try writer.close()
        let reader = try H5MDReader(path: path)
        #expect(reader.frameCount == 4)
        #expect(try reader.steps() == frames.map(\.step))
        #expect(try reader.layout(of: "/observables/temperature/value").shape == [4])
        #expect(bits(try reader.positions(frame: 3)) == bits(f.positions))
        #expect(bits(try reader.observable("temperature")) == bits(frames.map { $0.observables["temperature"]! }))
    }

    @Test func invalidInputThrowsWithPathAndLeavesFileConsistent() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("errors.h5")
        let frames = (0..<2).map { Frame.make(index: $0, atoms: species.count) }
        let writer = try writeSample(to: path, frames: [frames[0]])
        let f = frames[1]

        func expectInputError(_ fragment: String, _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
            do {
                try body()
                Issue.record("expected an InputError mentioning '\(fragment)'", sourceLocation: sourceLocation)
            } catch let error as InputError {
                #expect(error.file == path, sourceLocation: sourceLocation)
                #expect(error.description.contains(fragment), "\(error)", sourceLocation: sourceLocation)
            } catch {
                Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
            }
        }
        expectInputError("expected 15 values") {
            try writer.append(step: f.step, time: f.time, cell: f.cell, positions: [1, 2, 3], velocities: f.velocities,
                              forces: f.forces, observables: f.observables)
        }
        expectInputError("expected 9 values") {
            try writer.append(step: f.step, time: f.time, cell: [1, 2, 3], positions: f.positions, velocities: f.velocities,
                              forces: f.forces, observables: f.observables)
        }
        expectInputError("pass them") {
            try writer.append(step: f.step, time: f.time, cell: f.cell, positions: f.positions, velocities: nil,
                              forces: f.forces, observables: f.observables)
        }
        expectInputError("missing value for observable 'temperature'") {
            var observables = f.observables
            observables["temperature"] = nil
            try writer.append(step: f.step, time: f.time, cell: f.cell, positions: f.positions, velocities: f.velocities,
                              forces: f.forces, observables: observables)
        }
        expectInputError("unknown observable 'pressure'") {
            var observables = f.observables
            observables["pressure"] = 1
            try writer.append(step: f.step, time: f.time, cell: f.cell, positions: f.positions, velocities: f.velocities,
                              forces: f.forces, observables: observables)
        }
        expectInputError("must be greater") {
            try writer.append(step: 0, time: f.time, cell: f.cell, positions: f.positions, velocities: f.velocities,
                              forces: f.forces, observables: f.observables)
        }
        #expect(writer.frameCount == 1)
        try writer.flush()
        try writer.append(step: f.step, time: f.time, cell: f.cell, positions: f.positions, velocities: f.velocities,
                          forces: f.forces, observables: f.observables)
        try writer.close()
        expectInputError("after close") {
            try writer.append(step: 999, time: 99, cell: f.cell, positions: f.positions, velocities: f.velocities,
                              forces: f.forces, observables: f.observables)
        }
        #expect(try H5MDReader(path: path).frameCount == 2)

        // HDF5 failures name the call.
        let missing = scratch.path("no/such/dir/traj.h5")
        do {
            _ = try H5MDWriter(path: missing, author: "x", creatorVersion: "0", atomCount: 1, species: [1], fields: [.position])
            Issue.record("expected H5Fcreate to fail")
        } catch let error as InputError {
            #expect(error.file == missing)
            #expect(error.message.contains("H5Fcreate failed"), "\(error)")
        }
        do {
            _ = try H5MDReader(path: scratch.path("absent.h5"))
            Issue.record("expected H5Fopen to fail")
        } catch let error as InputError {
            #expect(error.message.contains("H5Fopen failed"), "\(error)")
        }
        // Not an H5MD file (no /h5md): a plain HDF5 file is rejected by the reader and the appender.
        let notH5MD = scratch.path("plain.txt")
        try "hello".write(toFile: notH5MD, atomically: true, encoding: .utf8)
        #expect(throws: InputError.self) { try H5MDWriter(appendingTo: notH5MD) }
        #expect(throws: InputError.self) {
            try H5MDWriter(path: path, author: "x", creatorVersion: "0", atomCount: 2, species: [1], fields: [.position])
        }
        #expect(throws: InputError.self) {
            try H5MDWriter(path: path, author: "x", creatorVersion: "0", particleGroup: "a/b", atomCount: 1, species: [1])
        }
    }

    /// Timing of 1e6-atom frames against a plain write of the same bytes. Opt-in:
    /// CRUCIBLE_H5MD_BENCH=1 swift test -c release --filter largeFrameThroughput
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CRUCIBLE_H5MD_BENCH"] != nil))
    func largeFrameThroughput() throws {
        let scratch = try ScratchDirectory()
        let atoms = 1_000_000
        let frames = 10
        let positions = (0..<(3 * atoms)).map { Double($0) * 1e-3 }
        let writer = try H5MDWriter(path: scratch.path("big.h5"), author: "bench", creatorVersion: "0", atomCount: atoms,
                                    species: [Int32](repeating: 1, count: atoms), fields: [.position])
        let cell = [100.0, 0, 0, 0, 100, 0, 0, 0, 100]
        let start = Date()
        for k in 0..<frames {
            try writer.append(step: k, time: Double(k), cell: cell, positions: positions)
        }
        let appendSeconds = Date().timeIntervalSince(start)
        try writer.close()
        let h5Seconds = Date().timeIntervalSince(start)

        // The same bytes with plain write(2), no fsync (HDF5 does not fsync either).
        let rawStart = Date()
        let fd = open(scratch.path("raw.bin"), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(fd >= 0)
        for _ in 0..<frames {
            positions.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
        }
        close(fd)
        let rawSeconds = Date().timeIntervalSince(rawStart)
        let perFrame = { (seconds: Double) in String(format: "%.1f ms/frame", seconds / Double(frames) * 1e3) }
        print("H5MD 1e6 atoms (24 MB/frame): append \(perFrame(appendSeconds)), with close \(perFrame(h5Seconds)); "
              + "raw write(2) of the same bytes: \(perFrame(rawSeconds))")
        #expect(try H5MDReader(path: scratch.path("big.h5")).frameCount == frames)

        // Many small frames: per-append overhead (multi-frame chunks stay in the chunk cache).
        let small = Frame.make(index: 0, atoms: species.count)
        let smallWriter = try writeSample(to: scratch.path("small.h5"), frames: [])
        let smallStart = Date()
        for k in 0..<5000 {
            try smallWriter.append(step: k, time: Double(k), cell: small.cell, positions: small.positions, velocities: small.velocities,
                                   forces: small.forces, observables: small.observables)
        }
        try smallWriter.close()
        print(String(format: "H5MD 5-atom frames with v, f, 3 observables: %.1f us/append",
                     Date().timeIntervalSince(smallStart) / 5000 * 1e6))
    }
}

// MARK: - Species that change between frames (Monte Carlo swaps, semi-grand moves)

/// Every species the varying-species runs below can hold; Au is declared but never present.
private let alloySpecies: [(number: Int32, symbol: String)] = [(29, "Cu"), (28, "Ni"), (79, "Au")]
private let alloySymbol: [Int32: String] = [29: "Cu", 28: "Ni", 79: "Au"]
/// Frame k's species: a swap of two atoms, then semi-grand changes of one atom's species.
private func alloyFrameSpecies(_ k: Int) -> [Int32] {
    let table: [[Int32]] = [[29, 29, 28, 28, 29],
                            [28, 29, 29, 28, 29],   // swap 0 <-> 2
                            [28, 28, 29, 28, 29],   // semi-grand: atom 1 Cu -> Ni
                            [28, 28, 29, 28, 28],   // atom 4 Cu -> Ni
                            [29, 28, 29, 29, 28],
                            [29, 29, 29, 29, 29],
                            [28, 28, 28, 28, 28]]
    return table[k % table.count]
}

@Suite("H5MD time-dependent species")
struct H5MDVaryingSpeciesTests {
    private static func create(_ path: String, step0: [Int32] = alloyFrameSpecies(0),
                               elements: [String]? = alloyFrameSpecies(0).map { alloySymbol[$0]! }) throws -> H5MDWriter {
        try H5MDWriter(path: path, author: "Test Author", creatorVersion: "0.1.0-test", atomCount: 5, species: step0,
                       elements: elements, pbc: [true, true, true], fields: [.position, .velocity, .force],
                       observables: observableSpecs, deckText: deck, varyingSpecies: alloySpecies)
    }

    private static func append(_ writer: H5MDWriter, _ frame: Frame, species: [Int32]?) throws {
        try writer.append(step: frame.step, time: frame.time, cell: frame.cell, positions: frame.positions,
                          velocities: frame.velocities, forces: frame.forces, observables: frame.observables, species: species)
    }

    private static func table(_ entries: [(number: Int32, symbol: String)]?) -> [String]? {
        entries?.map { "\($0.number) \($0.symbol)" }
    }

    @Test func speciesChangingBetweenFramesReadBackExactly() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("alloy.h5md")
        let frames = (0..<5).map { Frame.make(index: $0, atoms: 5) }
        let writer = try Self.create(path)
        #expect(Self.table(writer.varyingSpecies) == ["28 Ni", "29 Cu", "79 Au"])
        for (k, frame) in frames.enumerated() { try Self.append(writer, frame, species: alloyFrameSpecies(k)) }
        try writer.close()

        let reader = try H5MDReader(path: path)
        defer { reader.close() }
        #expect(reader.hasVaryingSpecies)
        #expect(reader.frameCount == 5 && reader.atomCount == 5)
        for (k, frame) in frames.enumerated() {
            #expect(try reader.species(frame: k) == alloyFrameSpecies(k), "frame \(k)")
            #expect(try reader.elements(frame: k) == alloyFrameSpecies(k).map { alloySymbol[$0]! }, "frame \(k)")
            #expect(bits(try reader.positions(frame: k)) == bits(frame.positions))
            #expect(bits(try reader.forces(frame: k)) == bits(stored(forces: frame.forces)))
            #expect(bits(try reader.box(frame: k)) == bits(frame.cell))
        }
        #expect(throws: InputError.self) { try reader.species(frame: 5) }
        // The time-independent accessors refuse to pick a frame.
        #expect(throws: InputError.self) { try reader.species() }
        #expect(throws: InputError.self) { try reader.elements() }
        #expect(try reader.steps() == frames.map(\.step))
        #expect(bits(try reader.observable("temperature")) == bits(frames.map { $0.observables["temperature"]! }))

        // species is an H5MD time-dependent element: value [F][N] int32, chunked like position, with
        // step/time hard links to position's.
        let layout = try reader.layout(of: "\(base)/species/value")
        #expect(layout.shape == [5, 5] && layout.maxShape == [nil, 5])
        #expect(layout.chunk == H5MDWriter.speciesChunkShape(atomCount: 5))
        #expect(layout.chunk == Array(H5MDWriter.particleChunkShape(atomCount: 5).prefix(2)))
        for name in ["step", "time"] {
            #expect(try reader.objectInfo("\(base)/species/\(name)").identity == reader.objectInfo("\(base)/position/\(name)").identity)
            // position, velocity, force, box/edges, species and three observables share one dataset.
            #expect(try reader.objectInfo("\(base)/position/\(name)").hardLinkCount == 5 + observableSpecs.count)
        }
        // The VMD structure module lists every declared species, also Au which no frame holds.
        #expect(Self.table(try reader.speciesTable()) == ["28 Ni", "29 Cu", "79 Au"])
        #expect(try reader.intAttribute("version", of: "/h5md/modules/vmd_structure") == [1, 0])
        reader.close()
        let module = "/parameters/vmd_structure"
        #expect(try intDataset(path, "\(module)/indexOfSpecies") == [28, 29, 79])
        #expect(try stringDataset(path, "\(module)/name") == ["Ni", "Cu", "Au"])
        #expect(try stringDataset(path, "\(module)/type") == ["Ni", "Cu", "Au"])
        #expect(try intDataset(path, "\(module)/atomicnumber") == [28, 29, 79])

        // For Tools/check_h5md.py (run by Tools/run_checks.sh):
        // CRUCIBLE_H5MD_EXPORT=DIR swift test --filter speciesChangingBetweenFramesReadBackExactly
        if let exportDirectory = ProcessInfo.processInfo.environment["CRUCIBLE_H5MD_EXPORT"] {
            try FileManager.default.createDirectory(atPath: exportDirectory, withIntermediateDirectories: true)
            let exported = exportDirectory + "/varying_species.h5md"
            try? FileManager.default.removeItem(atPath: exported)
            try FileManager.default.copyItem(atPath: path, toPath: exported)
            let sidecar: [String: Any] = [
                "file": exported,
                "particle_group": "trajectory",
                "atom_count": 5,
                "varying_species": alloySpecies.sorted { $0.number < $1.number }.map { [Int($0.number), $0.symbol] as [Any] },
                "species": frames.indices.map { alloyFrameSpecies($0).map { Int($0) } },
                "elements": frames.indices.map { alloyFrameSpecies($0).map { alloySymbol[$0]! } },
                "steps": frames.map(\.step),
                "times": frames.map(\.time),
                "cells": frames.map(\.cell),
                "positions": frames.map(\.positions),
                "velocities": frames.map(\.velocities),
                "forces": frames.map { stored(forces: $0.forces) },
                "observables": Dictionary(uniqueKeysWithValues: observableSpecs.map { spec in
                    (spec.name, frames.map { $0.observables[spec.name]! })
                }),
                "boundary": ["periodic", "periodic", "periodic"],
                "deck": deck,
            ]
            try JSONSerialization.data(withJSONObject: sidecar, options: [.prettyPrinted, .sortedKeys])
                .write(to: URL(fileURLWithPath: exportDirectory + "/varying_species.json"))
        }
    }

    @Test func speciesArgumentIsRequiredExactlyForVaryingSpecies() throws {
        let scratch = try ScratchDirectory()
        let frame = Frame.make(index: 0, atoms: 5)
        func expectInputError(_ key: String, _ fragment: String, _ body: () throws -> Void,
                              sourceLocation: SourceLocation = #_sourceLocation) {
            do {
                try body()
                Issue.record("expected an InputError mentioning '\(fragment)'", sourceLocation: sourceLocation)
            } catch let error as InputError {
                #expect(error.key == key, "\(error)", sourceLocation: sourceLocation)
                #expect(error.description.contains(fragment), "\(error)", sourceLocation: sourceLocation)
            } catch {
                Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
            }
        }

        let varying = try Self.create(scratch.path("varying.h5md"))
        expectInputError("species", "stores species per frame: pass them") { try Self.append(varying, frame, species: nil) }
        expectInputError("species", "expected 5 species values, got 2") { try Self.append(varying, frame, species: [29, 28]) }
        expectInputError("species", "atom 3: species 26 is not one of the file's species (28 Ni, 29 Cu, 79 Au)") {
            try Self.append(varying, frame, species: [29, 29, 28, 26, 29])
        }
        #expect(varying.frameCount == 0)
        try Self.append(varying, frame, species: [79, 79, 79, 79, 79])  // a declared species no atom held at step 0
        try varying.close()
        #expect(try H5MDReader(path: scratch.path("varying.h5md")).species(frame: 0) == [79, 79, 79, 79, 79])

        // A file with time-independent species takes no per-frame species.
        let fixed = try writeSample(to: scratch.path("fixed.h5md"), frames: [])
        expectInputError("species", "created with time-independent species") {
            try fixed.append(step: frame.step, time: frame.time, cell: frame.cell, positions: frame.positions, velocities: frame.velocities,
                             forces: frame.forces, observables: frame.observables, species: species)
        }
        #expect(fixed.frameCount == 0 && fixed.varyingSpecies == nil)
        try fixed.close()

        // The declared species and the step-0 assignment must be consistent.
        func create(_ list: [(number: Int32, symbol: String)], species: [Int32] = [29, 28], elements: [String]? = nil) throws {
            _ = try H5MDWriter(path: scratch.path("bad.h5md"), author: "x", creatorVersion: "0", atomCount: 2, species: species,
                               elements: elements, varyingSpecies: list)
        }
        expectInputError("varyingSpecies", "list at least one species") { try create([]) }
        expectInputError("varyingSpecies", "species 29 is listed twice") { try create([(29, "Cu"), (28, "Ni"), (29, "Cu")]) }
        expectInputError("varyingSpecies", "species 28: the element symbol must be a non-empty string") { try create([(29, "Cu"), (28, "")]) }
        expectInputError("species", "atom 1: species 28 is not one of varyingSpecies") { try create([(29, "Cu")]) }
        expectInputError("elements", "atom 0: species 29 is 'Cu' in varyingSpecies but 'Ni' here") {
            try create([(29, "Cu"), (28, "Ni")], elements: ["Ni", "Ni"])
        }
        expectInputError("elements", "expected 2 element symbols") { try create([(29, "Cu"), (28, "Ni")], elements: ["Cu"]) }
        try create([(29, "Cu"), (28, "Ni")], elements: ["Cu", "Ni"])  // consistent: accepted
    }

    @Test func truncateAndResumeKeepSpeciesConsistent() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("restart.h5md")
        let frames = (0..<5).map { Frame.make(index: $0, atoms: 5) }  // steps 0, 100, ..., 400
        let writer = try Self.create(path)
        for (k, frame) in frames.enumerated() { try Self.append(writer, frame, species: alloyFrameSpecies(k)) }
        try writer.close()

        #expect(try H5MDWriter.truncate(path: path, afterStep: 250) == 3)
        do {
            let reader = try H5MDReader(path: path)
            defer { reader.close() }
            #expect(try reader.layout(of: "\(base)/species/value").shape == [3, 5])
            #expect(try reader.steps() == [0, 100, 200])
        }

        // Resume after the checkpoint at step 200: frames 3... are written again with other species.
        let resumed = try H5MDWriter(appendingTo: path, truncateAfterStep: 200)
        #expect(resumed.frameCount == 3 && resumed.lastStep == 200)
        #expect(Self.table(resumed.varyingSpecies) == ["28 Ni", "29 Cu", "79 Au"])
        #expect(throws: InputError.self) { try Self.append(resumed, frames[3], species: nil) }
        let restarted = (3..<6).map { Frame.make(index: $0, atoms: 5, seed: 0.5) }
        let restartedSpecies = (3..<6).map { alloyFrameSpecies($0 + 2) }  // differ from what was cut
        for (frame, species) in zip(restarted, restartedSpecies) { try Self.append(resumed, frame, species: species) }
        try resumed.close()

        // Crash in the middle of the next append: species/value and position/value already grew.
        try withHDF5 {
            let context = H5Context(path: path)
            let file = try context.handle(H5Fopen(path, crucible_h5f_acc_rdwr(), crucible_h5p_default()), .file, "H5Fopen", "/")
            for objectPath in ["\(base)/species/value", "\(base)/position/value"] {
                let dataset = try context.openDataset(file.id, objectPath)
                try context.resize(dataset.id, objectPath, frames: 7)
            }
        }
        let repaired = try H5MDWriter(appendingTo: path)
        #expect(repaired.frameCount == 6 && repaired.lastStep == 500)
        let last = Frame.make(index: 6, atoms: 5, seed: 0.5)
        try Self.append(repaired, last, species: [79, 28, 29, 79, 28])
        try repaired.close()

        let expected = Array(frames.prefix(3)) + restarted + [last]
        let expectedSpecies = (0..<3).map(alloyFrameSpecies) + restartedSpecies + [[79, 28, 29, 79, 28]]
        let reader = try H5MDReader(path: path)
        defer { reader.close() }
        #expect(reader.frameCount == 7)
        #expect(try reader.steps() == expected.map(\.step))
        #expect(try reader.layout(of: "\(base)/species/value").shape == [7, 5])
        for k in expected.indices {
            #expect(try reader.species(frame: k) == expectedSpecies[k], "frame \(k)")
            #expect(try reader.elements(frame: k) == expectedSpecies[k].map { alloySymbol[$0]! }, "frame \(k)")
            #expect(bits(try reader.positions(frame: k)) == bits(expected[k].positions))
        }
        #expect(try reader.objectInfo("\(base)/species/step").identity == reader.objectInfo("\(base)/position/step").identity)
        #expect(Self.table(try reader.speciesTable()) == ["28 Ni", "29 Cu", "79 Au"])  // untouched by truncation
    }

    @Test func withoutVaryingSpeciesTheLayoutIsUnchanged() throws {
        let scratch = try ScratchDirectory()
        let frames = (0..<2).map { Frame.make(index: $0, atoms: species.count) }
        // The default and an explicit nil write the same structure: a time-independent int32[N] species.
        let implicit = scratch.path("implicit.h5md")
        try writeSample(to: implicit, frames: frames).close()
        let explicit = scratch.path("explicit.h5md")
        let writer = try H5MDWriter(path: explicit, author: "Test Author", creatorVersion: "0.1.0-test", atomCount: species.count,
                                    species: species, elements: elements, pbc: [true, true, false], fields: [.position, .velocity, .force],
                                    observables: observableSpecs, deckText: deck, varyingSpecies: nil)
        #expect(writer.varyingSpecies == nil)
        for frame in frames {
            try writer.append(step: frame.step, time: frame.time, cell: frame.cell, positions: frame.positions,
                              velocities: frame.velocities, forces: frame.forces, observables: frame.observables)
        }
        try writer.close()
        let expectedTree = [
            "/h5md G", "/h5md/author G", "/h5md/creator G", "/h5md/modules G", "/h5md/modules/vmd_structure G",
            "/observables G",
            "/observables/kinetic_energy G", "/observables/kinetic_energy/step D[2] max[nil] chunk[512]",
            "/observables/kinetic_energy/time D[2] max[nil] chunk[512]", "/observables/kinetic_energy/value D[2] max[nil] chunk[512]",
            "/observables/potential_energy G", "/observables/potential_energy/step D[2] max[nil] chunk[512]",
            "/observables/potential_energy/time D[2] max[nil] chunk[512]", "/observables/potential_energy/value D[2] max[nil] chunk[512]",
            "/observables/temperature G", "/observables/temperature/step D[2] max[nil] chunk[512]",
            "/observables/temperature/time D[2] max[nil] chunk[512]", "/observables/temperature/value D[2] max[nil] chunk[512]",
            "/parameters G", "/parameters/deck D[] max[] contiguous",
            "/parameters/vmd_structure G", "/parameters/vmd_structure/atomicnumber D[4] max[4] contiguous",
            "/parameters/vmd_structure/indexOfSpecies D[4] max[4] contiguous", "/parameters/vmd_structure/name D[4] max[4] contiguous",
            "/parameters/vmd_structure/type D[4] max[4] contiguous",
            "/particles G", "/particles/trajectory G", "/particles/trajectory/box G", "/particles/trajectory/box/edges G",
            "/particles/trajectory/box/edges/step D[2] max[nil] chunk[512]", "/particles/trajectory/box/edges/time D[2] max[nil] chunk[512]",
            "/particles/trajectory/box/edges/value D[2, 3, 3] max[nil, 3, 3] chunk[64, 3, 3]",
            "/particles/trajectory/force G", "/particles/trajectory/force/step D[2] max[nil] chunk[512]",
            "/particles/trajectory/force/time D[2] max[nil] chunk[512]",
            "/particles/trajectory/force/value D[2, 5, 3] max[nil, 5, 3] chunk[256, 5, 3]",
            "/particles/trajectory/position G", "/particles/trajectory/position/step D[2] max[nil] chunk[512]",
            "/particles/trajectory/position/time D[2] max[nil] chunk[512]",
            "/particles/trajectory/position/value D[2, 5, 3] max[nil, 5, 3] chunk[256, 5, 3]",
            "/particles/trajectory/species D[5] max[5] contiguous",
            "/particles/trajectory/velocity G", "/particles/trajectory/velocity/step D[2] max[nil] chunk[512]",
            "/particles/trajectory/velocity/time D[2] max[nil] chunk[512]",
            "/particles/trajectory/velocity/value D[2, 5, 3] max[nil, 5, 3] chunk[256, 5, 3]",
        ]
        for path in [implicit, explicit] {
            let reader = try H5MDReader(path: path)
            defer { reader.close() }
            #expect(try tree(reader, path) == expectedTree)
            #expect(!reader.hasVaryingSpecies)
            #expect(try reader.species() == species)
            #expect(try reader.species(frame: 1) == species)
            #expect(try reader.elements(frame: 1) == elements)
            #expect(try reader.objectInfo("\(base)/position/step").hardLinkCount == 4 + observableSpecs.count)
        }
        let reopened = try H5MDWriter(appendingTo: explicit)
        #expect(reopened.varyingSpecies == nil)
        try reopened.close()
    }

    /// Every object of the file, depth first in name order: groups `G`, datasets with shape, maximum shape and chunking.
    private func tree(_ reader: H5MDReader, _ path: String) throws -> [String] {
        let groups: [String] = try withHDF5 {
            let context = H5Context(path: path)
            let file = try context.handle(H5Fopen(path, crucible_h5f_acc_rdonly(), crucible_h5p_default()), .file, "H5Fopen", "/")
            var found: [String] = []
            func walk(_ group: String) throws {
                for name in try context.children(file.id, group) {
                    let child = (group == "/" ? "" : group) + "/" + name
                    if try context.objectType(file.id, child) == H5I_GROUP {
                        found.append(child + " G")
                        try walk(child)
                    } else {
                        found.append(child)
                    }
                }
            }
            try walk("/")
            return found
        }
        return try groups.map { entry in
            guard !entry.hasSuffix(" G") else { return entry }
            let layout = try reader.layout(of: entry)
            let maxShape = layout.maxShape.map { $0.map(String.init) ?? "nil" }.joined(separator: ", ")
            let storage = layout.chunk.map { "chunk\($0)" } ?? "contiguous"
            return "\(entry) D\(layout.shape) max[\(maxShape)] \(storage)"
        }
    }

    private func intDataset(_ path: String, _ objectPath: String) throws -> [Int32] {
        try withHDF5 {
            let context = H5Context(path: path)
            let file = try context.handle(H5Fopen(path, crucible_h5f_acc_rdonly(), crucible_h5p_default()), .file, "H5Fopen", "/")
            let dataset = try context.openDataset(file.id, objectPath)
            return try context.readAll(dataset.id, objectPath, memType: crucible_h5t_native_int32(), zero: Int32(0))
        }
    }

    private func stringDataset(_ path: String, _ objectPath: String) throws -> [String] {
        try withHDF5 {
            let context = H5Context(path: path)
            let file = try context.handle(H5Fopen(path, crucible_h5f_acc_rdonly(), crucible_h5p_default()), .file, "H5Fopen", "/")
            return try context.readStringDataset(file.id, objectPath)
        }
    }
}
