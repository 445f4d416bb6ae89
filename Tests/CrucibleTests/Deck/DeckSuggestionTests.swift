import CrucibleIO
import Testing

@Suite struct DeckSuggestionTests {
    @Test(arguments: [
        ("temperatur", ["temperature", "damping"], "temperature"),
        ("tmeperature", ["temperature", "damping"], "temperature"),
        ("Temperature", ["temperature", "damping"], "temperature"),
        ("fc", ["sc", "bcc", "fcc", "hcp", "diamond"], "fcc"),
        ("temp", ["step", "time", "temperature"], "temperature"),
        ("steps", ["algorithm", "max_force", "max_steps"], "max_steps"),
        ("sytem", ["title", "seed", "system"], "system"),
    ])
    func suggestsTheIntendedWord(_ word: String, _ candidates: [String], _ expected: String) {
        #expect(suggestion(for: word, among: candidates) == expected)
    }

    @Test func staysQuietWhenNothingIsClose() {
        #expect(suggestion(for: "banana", among: ["steps", "timestep"]) == nil)
        #expect(suggestion(for: "q", among: ["a", "b"]) == nil)
        #expect(suggestion(for: "", among: ["a"]) == nil)
        #expect(suggestion(for: "steps", among: []) == nil)
    }
}
