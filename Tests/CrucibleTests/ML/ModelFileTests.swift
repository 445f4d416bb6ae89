import Foundation
import Testing
@testable import CrucibleCore
@testable import CrucibleML

/// The model file: a model with every part survives write → read unchanged, and broken files are
/// refused with the file and the field named (never a crash).
@Suite struct ModelFileTests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("crucible-model-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func fullModel() -> MLModel {
        var m = MLPotentialTests.withPairAndNetwork(MLPotentialTests.randomModel(species: ["Ni", "Cu", "Pd"], pseudoelements: 2, seed: 4), seed: 5)
        m = MLPotentialTests.withBispectrum(m, seed: 6)
        m.pair!.gaussianWidth = 0.25
        m.pair!.cutoff = 4.8
        return m
    }

    @Test func roundTripsEveryPart() throws {
        let path = try Self.folder() + "/m.json"
        let model = Self.fullModel()
        try ModelFile(model: model, training: ["data": "x.xyz"]).write(to: path)
        let read = try ModelFile.read(path)
        #expect(read.model == model)
        #expect(read.training["data"] == "x.xyz")
        // A network on the power spectrum, without a pair term.
        var power = MLPotentialTests.withPowerSpectrumNetwork(MLPotentialTests.randomModel(species: ["Ni", "Cu"], pseudoelements: 2, seed: 3), seed: 2)
        power.network!.hiddenBias[0] = 0.125
        try ModelFile(model: power).write(to: path)
        #expect(try ModelFile.read(path).model == power)
    }

    /// Version-1 files (before pair cutoffs, the bispectrum term and the network's input and second
    /// layer) still load; a future version is refused with the field named.
    @Test func readsVersionOneAndRefusesUnknownVersions() throws {
        let path = try Self.folder() + "/m.json"
        var plain = MLPotentialTests.randomModel(species: ["Ni", "Cu"], pseudoelements: nil, seed: 3)
        plain.offsets = [-1, -2]
        try ModelFile(model: plain).write(to: path)
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        #expect(json["version"] as? Int == ModelFile.currentVersion)
        json["version"] = 1
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        #expect(try ModelFile.read(path).model == plain)
        try expectRefusalOfFile(field: "version") { $0["version"] = 3 }
    }

    /// Files written before the network could read the power spectrum have no `input` key.
    @Test func networkWithoutInputReadsTheRadialSpectrum() throws {
        let path = try Self.folder() + "/m.json"
        try ModelFile(model: Self.fullModel()).write(to: path)
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        var model = json["model"] as! [String: Any]
        var network = model["network"] as! [String: Any]
        #expect(network["input"] as? String == "radial-spectrum")
        network["input"] = nil
        model["network"] = network
        json["model"] = model
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        #expect(try ModelFile.read(path).model == Self.fullModel())
    }

    /// Edits the top level of a valid file's JSON with `edit`, and expects a refusal naming `field`.
    func expectRefusalOfFile(field: String, _ edit: (inout [String: Any]) -> Void) throws {
        try expectRefusal(field: field, file: edit) { _ in }
    }

    /// Edits the JSON of a valid file with `edit`, and expects a refusal naming `field`.
    func expectRefusal(field: String, file editFile: (inout [String: Any]) -> Void = { _ in }, _ edit: (inout [String: Any]) -> Void) throws {
        let path = try Self.folder() + "/m.json"
        try ModelFile(model: Self.fullModel()).write(to: path)
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        var model = json["model"] as! [String: Any]
        edit(&model)
        json["model"] = model
        editFile(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        do {
            _ = try ModelFile.read(path)
            Issue.record("accepted a file broken at \(field)")
        } catch let error as InputError {
            #expect(error.description.contains(field), "\(error)")
            #expect(error.description.contains("m.json"), "\(error)")
        }
    }

    @Test func refusesBrokenPartsByName() throws {
        try expectRefusal(field: "model.network") { $0["pair"] = nil }
        try expectRefusal(field: "model.pair.weights") { m in
            var pair = m["pair"] as! [String: Any]; pair["weights"] = [[1.0]]; m["pair"] = pair
        }
        try expectRefusal(field: "model.pair.gaussianWidth") { m in
            var pair = m["pair"] as! [String: Any]; pair["gaussianWidth"] = -1.0; m["pair"] = pair
        }
        try expectRefusal(field: "model.network") { m in
            var n = m["network"] as! [String: Any]; n["hiddenBias"] = [0.0]; m["network"] = n
        }
        try expectRefusal(field: "model.network") { m in
            var n = m["network"] as! [String: Any]; n["scale"] = (n["scale"] as! [Double]).map { _ in 0.0 }; m["network"] = n
        }
        try expectRefusal(field: "model.network") { m in
            var n = m["network"] as! [String: Any]; n["input"] = "power-spectrum"; m["network"] = n
        }
        try expectRefusal(field: "model.network.input") { m in
            var n = m["network"] as! [String: Any]; n["input"] = "bispectrum"; m["network"] = n
        }
        try expectRefusal(field: "model.weights") { $0["weights"] = [[0.0]] }
        try expectRefusal(field: "model.network") { m in
            var n = m["network"] as! [String: Any]; n["secondLayerBias"] = [0.0, 1.0]; m["network"] = n
        }
        try expectRefusal(field: "model.pair.cutoff") { m in
            var pair = m["pair"] as! [String: Any]; pair["cutoff"] = 0.1; m["pair"] = pair
        }
        try expectRefusal(field: "model.bispectrum.weights") { m in
            var b = m["bispectrum"] as! [String: Any]; b["weights"] = [[1.0]]; m["bispectrum"] = b
        }
        try expectRefusal(field: "model.bispectrum.radialCounts") { m in
            var b = m["bispectrum"] as! [String: Any]; b["radialCounts"] = [0]; m["bispectrum"] = b
        }
        try expectRefusal(field: "model.offsets") { $0["offsets"] = "none" }
    }
}
