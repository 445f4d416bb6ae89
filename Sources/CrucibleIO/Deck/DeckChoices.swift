// How each keyword setting is named in messages.
extension LatticePlan.Kind: DeckChoice { static var choiceName: String { "lattice kind" } }
extension EAMPlan.Format: DeckChoice { static var choiceName: String { "EAM format" } }
extension BarostatPlan.Axis: DeckChoice { static var choiceName: String { "axis" } }
extension MinimizePlan.Algorithm: DeckChoice { static var choiceName: String { "minimizer" } }
extension CellRelaxPlan.Coupling: DeckChoice { static var choiceName: String { "cell coupling" } }
extension ThermoOutputPlan.Column: DeckChoice { static var choiceName: String { "thermo column" } }
extension TrajectoryOutputPlan.Field: DeckChoice { static var choiceName: String { "trajectory field" } }

/// The barostat's coupling keyword; axes are read separately.
enum BarostatCouplingName: String, DeckChoice {
    case isotropic, anisotropic
    static var choiceName: String { "barostat coupling" }
}
extension ReplicasPlan.ExchangePlan.Pairing: DeckChoice { static var choiceName: String { "exchange pairing" } }
extension CompositionProfilePlan.Axis: DeckChoice { static var choiceName: String { "axis" } }
extension TrajectoryOutputPlan.Grouping: DeckChoice { static var choiceName: String { "trajectory grouping" } }
extension PathIntegralPlan.Propagator: DeckChoice { static var choiceName: String { "ring-polymer propagator" } }
extension PathIntegralPlan.Centroid: DeckChoice { static var choiceName: String { "centroid setting" } }
enum PathIntegralPreset: String, DeckChoice {
    case trpmd
    static var choiceName: String { "path-integral preset" }
}
