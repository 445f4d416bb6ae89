import Foundation

/// CSV files whose rows start with the step: a new file with its header, or (on a restart) the
/// file of the interrupted run with the rows after the checkpoint's step dropped.
enum StepCSV {
    static func open(_ path: String, header: String, keepingThroughStep step: Int?) throws -> TextFile {
        guard let step else {
            let file = try TextFile(path: path)
            file.write(header)
            return file
        }
        let old = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let lines = old.split(separator: "\n").map(String.init)
        guard lines.first == header else {
            throw InputError(file: path, "the file does not belong to this run (header differs); cannot continue it")
        }
        let kept = [header] + lines.dropFirst().filter { line in
            Int(line.prefix { $0 != "," }).map { $0 <= step } ?? false
        }
        try TextFile.writeAtomically(kept.joined(separator: "\n") + "\n", to: path)
        return try TextFile(path: path, append: true)
    }
}
