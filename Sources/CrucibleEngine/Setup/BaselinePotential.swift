/// The physical potential under an ML model (a `BaselineBlock`: lj and eam terms), built for a
/// configuration's species the way a deck's potential is built. The fit subtracts it from the labels;
/// the `ml` plugin adds it to the model.
public enum BaselinePotential {
    public static func build(_ block: BaselineBlock, file: String, speciesTable: SpeciesTable) throws -> any Potential {
        try PotentialBuilder.potential(block.terms, speciesTable: speciesTable, deckPath: file)
    }

    /// From the text a model file stores, paths relative to `directory`.
    public static func build(text: String, directory: String, file: String, speciesTable: SpeciesTable) throws -> any Potential {
        try build(BaselineBlock.decode(text: text, directory: directory, file: file), file: file, speciesTable: speciesTable)
    }
}
