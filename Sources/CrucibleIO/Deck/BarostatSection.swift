/// `md.barostat`: pressure coupling, isotropic or along chosen axes.
enum BarostatSection {
    static let keys = ["pressure", "tau", "compressibility", "coupling", "axes"]

    static func decode(_ value: DeckValue, _ context: DeckContext) -> BarostatPlan? {
        guard let map = MapReader(value, allowed: keys, context: context) else { return nil }
        let pressure = map.optional("pressure").read(default: 1.0) { $0.number(context, .anyValue("bar")) }
        let tau = map.optional("tau").read(default: 1.0) { $0.number(context, .positive("ps")) }
        let compressibility = map.optional("compressibility").read(default: 1.0e-6) { $0.number(context, .positive("1/bar")) }
        let couplingValue = map.optional("coupling")
        let couplingName = couplingValue.read(default: .isotropic) { $0.choice(context, BarostatCouplingName.self) }
        var coupling: BarostatPlan.Coupling?
        switch couplingName {
        case .isotropic:
            coupling = .isotropic
            if let axes = map.optional("axes") {
                let why = couplingValue == nil ? "coupling is isotropic by default" : "coupling is isotropic"
                context.report("'axes' applies only to anisotropic coupling (\(why)); add coupling: anisotropic or remove 'axes'",
                               at: axes.anchorPosition, path: axes.path)
                coupling = nil
            }
        case .anisotropic:
            let axes = map.optional("axes").read(default: BarostatPlan.Axis.allCases) { $0.choiceList(context, BarostatPlan.Axis.self) }
            coupling = axes.map { chosen in .anisotropic(axes: BarostatPlan.Axis.allCases.filter(chosen.contains)) }
        case nil:
            coupling = nil
        }
        guard let pressure, let tau, let compressibility, let coupling else { return nil }
        return BarostatPlan(pressure: pressure, tau: tau, compressibility: compressibility, coupling: coupling)
    }
}
