/// What `crucible fit fit.yaml` is asked to do (docs/fit.md): plain values, defaults filled in,
/// paths absolute.
public struct FitPlan: Sendable, Equatable {
    public struct Density: Sendable, Equatable {
        public var cutoff: Double
        public var smoothing: Double
        public var width: Double
        public var maxAngular: Int
        public var maxRadial: Int
        /// Radial functions per l (overrides maxAngular/maxRadial), as HEA25's 8/6/4/2/1.
        public var radialPerAngular: [Int]?
        /// Willatt 2018 radial scaling (scale, rate, exponent), or nil.
        public var scaling: [Double]?
        public var centerWeight: Double
    }

    /// Learned pseudoelements: d mixed density channels, learned from energies (and the forces of
    /// `forceFrames` frames) by `iterations` Adam
    /// steps of size `learningRate`, with the linear weights at their ridge optimum (`regularization`).
    public struct Pseudoelements: Sendable, Equatable {
        public var count: Int
        public var iterations: Int
        public var learningRate: Double
        public var regularization: Double
        /// Training frames with forces (the first ones) whose force rows enter u's loss; 0: energies only.
        public var forceFrames: Int = 32
    }

    /// The non-linear layer: hidden tanh units on `input`, Adam epochs over the training frames in
    /// batches of `batchFrames` frames, step size `learningRate`.
    public struct Network: Sendable, Equatable {
        /// The invariants the network reads: the pair term's radial spectrum or the power spectrum.
        public enum Input: String, Sendable, Equatable, CaseIterable {
            case radialSpectrum = "radial_spectrum", powerSpectrum = "power_spectrum"
        }
        public var input: Input
        public var hidden: Int
        public var epochs: Int
        public var batchFrames: Int
        public var learningRate: Double
    }

    public var fitPath: String
    public var data: String
    public var density: Density
    /// Elements of the model (default: those of the data, by atomic number).
    public var species: [String]?
    /// Fractions of the frames for training and validation (the rest is the test set), and the seed
    /// of the shuffle that assigns them.
    public var trainFraction: Double
    public var validationFraction: Double
    public var seed: UInt64
    /// At most this many training frames (the first of the shuffled training set), validation and
    /// test unchanged: points of a learning curve. Nil: all.
    public var trainFrames: Int?
    /// Loss weights: energy per atom (eV⁻²) and force components (Å²/eV²).
    public var energyWeight: Double
    public var forceWeight: Double
    /// Stress components ((eV/Å³)⁻², ASE's convention), for frames with a `stress` label.
    public var stressWeight: Double
    /// Ridge regularisations tried (relative to the mean diagonal of the normal matrix); the one with
    /// the lowest validation loss is kept.
    public var regularizations: [Double]
    /// One weight vector for all elements (`weights: shared`) instead of one per element.
    public var sharedWeights: Bool
    public var pseudoelements: Pseudoelements?
    /// Radial functions of the pair term (ν = 1 on element channels), or nil for no pair term.
    public var pairRadial: Int?
    /// The pair term's Gaussian width (Å), or nil for the density's.
    public var pairWidth: Double?
    /// The pair term's cutoff (Å), or nil for the density's.
    public var pairCutoff: Double? = nil
    /// Radial functions per l of the bispectrum term (ν = 3), or nil for none.
    public var bispectrumRadial: [Int]?
    public var network: Network?
    /// A physical potential the model is fitted on top of (the model learns the residual), or nil.
    public var baseline: BaselineBlock?
    public var output: String
    public var threads: Int
}
