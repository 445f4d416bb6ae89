import CrucibleCore
import Foundation
@testable import CrucibleIO

/// Test inputs live in a Resources/ folder beside this file or beside one of its parent folders
/// (see Resources/PROVENANCE.md). Found through #filePath, so the tests need no bundle set-up and
/// keep working when the test files are moved into a subfolder.
enum IOTestResources {
    static func path(_ name: String) -> String {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("Resources").appendingPathComponent(name).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return "Resources/" + name  // not found: the test then fails with InputError "file not found"
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }
}

/// Runs `body` and returns the InputError it throws (nil if it throws nothing or something else).
func capturedInputError(_ body: () throws -> Void) -> InputError? {
    do {
        try body()
        return nil
    } catch let error as InputError {
        return error
    } catch {
        return nil
    }
}

/// Number of the line holding the last character of `text` (how many lines a truncated file has).
func lastLineNumber(of text: Substring) -> Int {
    let body = text.hasSuffix("\n") ? text.dropLast() : text
    return max(body.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }, 1)
}
