/// `potential.eam`: embedded-atom tables from one file, or several funcfl files mixed as LAMMPS does.
enum EAMSection {
    static let keys = ["file", "files", "format", "species"]

    static func decode(_ value: DeckValue, _ context: DeckContext) -> EAMPlan? {
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        let formatValue = map.optional("format")
        let explicitFormat = formatValue?.choice(context, EAMPlan.Format.self)
        guard let source = map.exactlyOne(of: ["file", "files"], context,
                                          missing: "missing 'file' in 'potential.eam' (or 'files' for several funcfl files)")
        else { return nil }

        let fileValues: [DeckValue]
        var format: EAMPlan.Format?
        if source.key == "file" {
            fileValues = [source.value]
            format = formatValue == nil ? inferFormat(source.value, context) : explicitFormat
        } else {
            guard let items = source.value.list(context, of: "funcfl files") else { return nil }
            guard !items.isEmpty else {
                context.report("'files' is empty; give at least one funcfl file", about: source.value)
                return nil
            }
            fileValues = items
            let filesAreFuncfl = checkFuncflOnly(items, explicitFormat: explicitFormat, formatValue: formatValue, context)
            format = filesAreFuncfl && (formatValue == nil || explicitFormat != nil) ? .funcfl : nil
        }
        let paths = fileValues.map { FileReferences.existingFile($0, context, what: "an EAM file") }
        let species = decodeSpecies(map.optional("species"), format: format, files: fileValues, context)
        guard let format, paths.allSatisfy({ $0 != nil }), let species else { return nil }
        return EAMPlan(format: format, files: paths.compactMap { $0 }, species: species)
    }

    /// .eam → funcfl, .eam.alloy → setfl, .eam.fs → fs.
    static func format(fromName name: String) -> EAMPlan.Format? {
        let lowered = name.lowercased()
        if lowered.hasSuffix(".eam.alloy") { return .setfl }
        if lowered.hasSuffix(".eam.fs") { return .fs }
        if lowered.hasSuffix(".eam") { return .funcfl }
        return nil
    }

    private static func inferFormat(_ file: DeckValue, _ context: DeckContext) -> EAMPlan.Format? {
        guard let name = file.scalarText, !file.isNull else { return nil }
        if let format = format(fromName: name) { return format }
        context.report("cannot tell the EAM format from the name \(file.found); add format: funcfl, setfl or fs "
                       + "(.eam is funcfl, .eam.alloy setfl, .eam.fs fs)", about: file)
        return nil
    }

    private static func checkFuncflOnly(_ items: [DeckValue], explicitFormat: EAMPlan.Format?, formatValue: DeckValue?,
                                        _ context: DeckContext) -> Bool {
        if let explicitFormat, explicitFormat != .funcfl, let formatValue {
            context.report("'files' takes funcfl files only; use 'file' for one \(explicitFormat.rawValue) file", about: formatValue)
            return false
        }
        var ok = true
        for item in items {
            if let name = item.scalarText, let guessed = format(fromName: name), guessed != .funcfl {
                context.report("'files' takes funcfl files only, and \(item.found) looks like a \(guessed.rawValue) file; "
                               + "use 'file' for it", about: item)
                ok = false
            }
        }
        return ok
    }

    /// funcfl files carry no element symbol: take `species`, or the name before '_' (Cu_u3.eam → Cu).
    private static func decodeSpecies(_ speciesValue: DeckValue?, format: EAMPlan.Format?, files: [DeckValue],
                                      _ context: DeckContext) -> [String]? {
        guard let format else {
            // The format is unknown (already reported); still check the symbols themselves.
            if let speciesValue, let items = speciesValue.list(context, of: "element symbols") {
                _ = items.map { $0.elementSymbol(context) }
            }
            return nil
        }
        guard format == .funcfl else {
            if let speciesValue {
                context.report("'species' applies only to funcfl files; \(format.rawValue) files name their own elements",
                               at: speciesValue.anchorPosition, path: speciesValue.path)
                return nil
            }
            return []
        }
        guard let speciesValue else {
            return inferSpecies(files, context)
        }
        guard let items = speciesValue.list(context, of: "element symbols") else { return nil }
        let symbols = items.compactMap { $0.elementSymbol(context) }
        guard symbols.count == items.count else { return nil }
        guard symbols.count == files.count else {
            context.report("'species' lists \(symbols.count) element(s) for \(files.count) file(s); give one per file, in order",
                           about: speciesValue)
            return nil
        }
        return rejectRepeats(symbols, items, context) ? symbols : nil
    }

    private static func inferSpecies(_ files: [DeckValue], _ context: DeckContext) -> [String]? {
        var symbols: [String] = []
        for file in files {
            guard let name = file.scalarText, !file.isNull else { return nil }
            let base = name.split(separator: "/").last.map(String.init) ?? name
            let stem = base.split(separator: "_", maxSplits: 1).first.map(String.init) ?? base
            let prefix = stem.split(separator: ".", maxSplits: 1).first.map(String.init) ?? stem
            guard ElementSymbols.all.contains(prefix) else {
                context.report("cannot tell the element of funcfl file \(file.found) from its name; "
                               + "add species: [<symbol>] to 'potential.eam'", about: file)
                return nil
            }
            symbols.append(prefix)
        }
        return rejectRepeats(symbols, files, context) ? symbols : nil
    }

    /// Two funcfl files for one element would make the mixing ambiguous.
    private static func rejectRepeats(_ symbols: [String], _ values: [DeckValue], _ context: DeckContext) -> Bool {
        var seen: Set<String> = []
        var ok = true
        for (symbol, value) in zip(symbols, values) where !seen.insert(symbol).inserted {
            context.report("element '\(symbol)' has two funcfl files; give each element once", about: value)
            ok = false
        }
        return ok
    }
}
