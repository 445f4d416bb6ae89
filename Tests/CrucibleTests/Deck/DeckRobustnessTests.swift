import CrucibleCore
import CrucibleIO
import Foundation
import Testing

/// Decks that are not even well-formed YAML, or are hostile: each must give a placed error, never a crash.
@Suite struct DeckRobustnessTests {
    func firstError(_ text: String) -> InputError? {
        DeckFixtures.errors(text).first
    }

    @Test func yamlSyntaxErrorHasTheParsersLine() throws {
        let error = try #require(firstError("seed: 1\nmd: {steps: 1\nthreads: 2\n"))
        #expect(error.line == 3)
        #expect(error.message.hasPrefix("YAML syntax error:"))
        #expect(error.message.contains("flow mapping at line 2"))
    }

    @Test func tabIndentationGetsAHint() throws {
        let error = try #require(firstError("md:\n\tsteps: 1\n"))
        #expect(error.line == 2)
        #expect(error.message.contains("YAML indents with spaces, not tabs"))
    }

    @Test(arguments: ["", "   \n\n", "# only a comment\n", "---\n"])
    func emptyDeck(_ text: String) throws {
        let error = try #require(firstError(text))
        #expect(error.line == 1)
        #expect(error.message.contains("the deck is empty"))
    }

    @Test func scalarOrListRoot() throws {
        #expect(try #require(firstError("hello")).message.contains("must be a map of sections"))
        #expect(try #require(firstError("- a\n- b")).message.contains("found a list"))
    }

    @Test func severalDocuments() throws {
        let error = try #require(firstError("seed: 1\n---\nseed: 2\n"))
        #expect(error.line == 2)
        #expect(error.message.contains("more than one YAML document"))
    }

    @Test func undefinedAlias() throws {
        let error = try #require(firstError("seed: *nothing\n"))
        #expect(error.line == 1)
        #expect(error.message.contains("undefined alias"))
    }

    @Test func controlCharacterIsPlaced() throws {
        let error = try #require(firstError("seed: 1\nthreads: 2\u{0}\n"))
        #expect(error.line == 2)
        #expect(error.column == 11)
        #expect(error.message.contains("not readable text"))
    }

    @Test func byteOrderMarkIsIgnored() {
        let errors = DeckFixtures.errors("\u{FEFF}seed: 1\nseed: 2\n")
        #expect(errors.contains { $0.line == 2 && $0.key == "seed" && $0.message.contains("duplicate key 'seed'") })
    }

    @Test func windowsLineEndingsCountOnce() {
        let errors = DeckFixtures.errors("seed: 1\r\nthreads: x\r\n")
        #expect(errors.contains { $0.line == 2 && $0.key == "threads" })
    }

    @Test func everyDuplicateIsReported() {
        let errors = DeckFixtures.errors("md:\n  steps: 1\n  \"steps\": 2\n  timestep: 1\n  steps: 3\n")
        let duplicates = errors.filter { $0.message.contains("duplicate key 'steps' (first given at line 2)") }
        #expect(duplicates.map(\.line) == [3, 5])
        #expect(duplicates.allSatisfy { $0.key == "md.steps" })
    }

    @Test func duplicatesInSectionsNeverReadAreStillReported() {
        let errors = DeckFixtures.errors("md: {steps: 1}\nminimize:\n  max_steps: 1\n  max_steps: 2\n")
        #expect(errors.contains { $0.line == 4 && $0.key == "minimize.max_steps" })
    }

    @Test func deepNestingIsRefusedWithoutCrashing() throws {
        let tooDeep = try #require(firstError(String(repeating: "[", count: 5000)))
        #expect(tooDeep.message.contains("nested too deeply"))
        let deepButValid = String(repeating: "[", count: 990) + String(repeating: "]", count: 990)
        #expect(try #require(firstError(deepButValid)).message.contains("found a list"))
        let deepMaps = (0..<900).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n") + " 1"
        #expect(firstError(deepMaps) != nil)
    }

    @Test func aliasBombIsCheap() {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for (name, previous) in zip(["b", "c", "d", "e", "f", "g", "h"], ["a", "b", "c", "d", "e", "f", "g"]) {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        text += "system: {x: 1, x: 2}\npotential: {lj: {cutoff: 8, pairs: *h}}\nmd: {steps: *h}\n"
        let start = Date()
        let errors = DeckFixtures.errors(text)
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(errors.contains { $0.key == "system.x" && $0.message.contains("duplicate key") })
        #expect(errors.contains { $0.key == "md.steps" && $0.message.contains("found a list") })
    }

    @Test func numbersYAMLWouldReadStrangelyAreRefused() {
        let errors = DeckFixtures.errors("seed: 0x10\nthreads: 0o7\nmd: {steps: 1:30}\n")
        #expect(errors.contains { $0.key == "seed" && $0.message.contains("expected an integer, found '0x10'") })
        #expect(errors.contains { $0.key == "threads" && $0.message.contains("found '0o7'") })
        #expect(errors.contains { $0.key == "md.steps" && $0.message.contains("found '1:30'") })
    }

    @Test func hugeKeysAndValuesAreShortenedInMessages() throws {
        let long = String(repeating: "x", count: 100_000)
        let error = try #require(DeckFixtures.errors("seed: \(long)\n").first { $0.key == "seed" })
        #expect(error.message.count < 200)
        let deck = "system: {structure: {file: \(long).xyz}}\npotential: {eam: {file: Cu_u3.eam}}\nsingle_point:\n"
        let pathError = try #require(DeckFixtures.errors(deck).first { $0.key == "system.structure.file" })
        #expect(pathError.message.contains("file not found"))
        #expect(pathError.message.count < 400)
    }

    @Test func loadDeckReportsBadBytesWithTheirLine() throws {
        let path = DeckFixtures.folder + "/binary.yaml"
        var bytes = Array("seed: 1\nthreads: ".utf8)
        bytes += [0xFF, 0xFE, 0x00, 0x80]
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try loadDeck(path: path)
            Issue.record("expected an error")
        } catch let errors as DeckErrors {
            let error = try #require(errors.errors.first)
            #expect(error.line == 2)
            #expect(error.column == 10)
            #expect(error.message.contains("not UTF-8 text (byte 0xFF)"))
        }
    }

    @Test func loadDeckReportsAMissingOrFolderDeck() throws {
        for (path, fragment) in [(DeckFixtures.folder + "/none.yaml", "deck file not found"),
                                 (DeckFixtures.folder, "is a folder")] {
            do {
                _ = try loadDeck(path: path)
                Issue.record("expected an error for \(path)")
            } catch let errors as DeckErrors {
                #expect(errors.errors.first?.message.contains(fragment) == true)
                #expect(errors.errors.first?.file == path)
            }
        }
    }
}
