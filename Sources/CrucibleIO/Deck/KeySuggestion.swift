/// The candidate a misspelt word most likely meant, or nil when none is close enough:
/// a case-insensitive match; else one edit away (transpositions count as one edit); else a
/// candidate the word abbreviates; else the nearest within a few edits; else a candidate that
/// contains the word or is contained in it (`steps` → `max_steps`).
public func suggestion(for word: String, among candidates: [String]) -> String? {
    let lowered = word.lowercased()
    if let exact = candidates.first(where: { $0.lowercased() == lowered }) { return exact }
    let wordScalars = Array(lowered.unicodeScalars.prefix(256))
    // Single letters are too short to guess from by distance.
    guard wordScalars.count > 1 else { return nil }

    let allowed = wordScalars.count <= 3 ? 1 : wordScalars.count <= 6 ? 2 : 3
    // Ties go to the candidate sharing the longer start: 'fc' means 'fcc' more likely than 'sc'.
    var best: (candidate: String, distance: Int, sharedStart: Int)?
    for candidate in candidates {
        let candidateScalars = Array(candidate.lowercased().unicodeScalars)
        let distance = editDistance(wordScalars, candidateScalars)
        guard distance <= allowed else { continue }
        let sharedStart = zip(wordScalars, candidateScalars).prefix { $0 == $1 }.count
        if let best, (best.distance, -best.sharedStart) <= (distance, -sharedStart) { continue }
        best = (candidate, distance, sharedStart)
    }
    if let best, best.distance <= 1 { return best.candidate }
    // An abbreviation ('temp', 'iso') beats a distant respelling ('time').
    if wordScalars.count >= 3,
       let longer = candidates.filter({ $0.lowercased().hasPrefix(lowered) }).min(by: { $0.count < $1.count }) {
        return longer
    }
    if let best { return best.candidate }

    guard wordScalars.count >= 3 else { return nil }
    return candidates
        .filter { $0.count >= 3 && ($0.lowercased().contains(lowered) || lowered.contains($0.lowercased())) }
        .min { $0.count < $1.count }
}

/// Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.
private func editDistance(_ left: [Unicode.Scalar], _ right: [Unicode.Scalar]) -> Int {
    if left.isEmpty { return right.count }
    if right.isEmpty { return left.count }
    let width = right.count + 1
    var previousPrevious = [Int](repeating: 0, count: width)
    var previous = Array(0...right.count)
    var current = [Int](repeating: 0, count: width)
    for i in 1...left.count {
        current[0] = i
        for j in 1...right.count {
            let cost = left[i - 1] == right[j - 1] ? 0 : 1
            var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, left[i - 1] == right[j - 2], left[i - 2] == right[j - 1] {
                value = min(value, previousPrevious[j - 2] + 1)
            }
            current[j] = value
        }
        (previousPrevious, previous, current) = (previous, current, previousPrevious)
    }
    return previous[right.count]
}
