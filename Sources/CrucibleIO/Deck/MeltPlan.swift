/// `melt`: the interface-pinning melting-point workflow (`crucible melt`): per temperature, the
/// crystal's cell at (T, p), a half-melted slab, and a pinned Np_zT run whose mean order parameter
/// gives Δμ(T); T_m where the fitted Δμ vanishes. The slab normal is z (the system's third axis).
public struct MeltPlan: Sendable, Equatable {
    public struct Steps: Sendable, Equatable {
        public var lattice: Int             // NPT of the bulk crystal (default 5000); the second half is averaged
        public var melt: Int                // NVT at melt_temperature with the lower half held (default 5000)
        public var equilibrate: Int         // pinned Np_zT, discarded (default 5000)
        public var production: Int          // pinned Np_zT, averaged (default 20000)
        public init(lattice: Int = 5000, melt: Int = 5000, equilibrate: Int = 5000, production: Int = 20000) {
            self.lattice = lattice; self.melt = melt; self.equilibrate = equilibrate; self.production = production
        }
    }

    public var temperatures: [Double]       // K > 0, ≥ 2 distinct, one replica each
    public var pressure: Double             // bar (default 0)
    public var timestep: Double             // ps > 0 (default 0.002)
    public var damping: Double              // ps > 0, Langevin damping (default 0.1)
    public var barostatTau: Double          // ps > 0 (default 1.0)
    public var compressibility: Double      // 1/bar > 0 (default 1e-6)
    public var kappa: Double                // eV per (unit of Q)² > 0: the pinning spring
    public var solidFraction: Double        // in (0, 1): the bias centre a = Q_l + f (Q_s − Q_l) (default 0.5)
    public var meltTemperature: Double?     // K; nil: twice the highest temperature
    public var miller: [[Int]]?             // wave vectors in the crystal's Miller indices (conventional cell); nil: by lattice kind
    public var steps: Steps
    public var sampleEvery: Int             // steps between samples of Q (default 10)
    public var blocks: Int                  // blocks of the production run for error bars (default 5, ≥ 2)
    public var directory: String            // absolute; every stage's files go below it

    public init(temperatures: [Double], pressure: Double = 0, timestep: Double = 0.002, damping: Double = 0.1, barostatTau: Double = 1,
                compressibility: Double = 1e-6, kappa: Double, solidFraction: Double = 0.5, meltTemperature: Double? = nil,
                miller: [[Int]]? = nil, steps: Steps = Steps(), sampleEvery: Int = 10, blocks: Int = 5, directory: String) {
        self.temperatures = temperatures; self.pressure = pressure; self.timestep = timestep; self.damping = damping
        self.barostatTau = barostatTau; self.compressibility = compressibility; self.kappa = kappa
        self.solidFraction = solidFraction; self.meltTemperature = meltTemperature; self.miller = miller
        self.steps = steps; self.sampleEvery = sampleEvery; self.blocks = blocks; self.directory = directory
    }
}
