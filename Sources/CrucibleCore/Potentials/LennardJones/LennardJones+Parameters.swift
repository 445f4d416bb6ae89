/// How the pair loop reads ε/σ-derived constants: from per-species-pair tables, or (one species)
/// from constants the optimiser keeps in registers.
protocol LJPairParameters {
    func row(_ typeI: Int32) -> Int
    func index(_ row: Int, _ typeJ: Int32) -> Int
    func cutSquared(_ t: Int) -> Double
    func lj1(_ t: Int) -> Double
    func lj2(_ t: Int) -> Double
    func lj3(_ t: Int) -> Double
    func lj4(_ t: Int) -> Double
    func offset(_ t: Int) -> Double
}

/// One species: every pair has the same parameters.
struct UniformPairs: LJPairParameters {
    let c2, l1, l2, l3, l4, off: Double
    init(_ lj: LennardJones) {
        c2 = lj.cutSquared[0]; l1 = lj.lj1[0]; l2 = lj.lj2[0]; l3 = lj.lj3[0]; l4 = lj.lj4[0]; off = lj.offset[0]
    }
    @inline(__always) func row(_ typeI: Int32) -> Int { 0 }
    @inline(__always) func index(_ row: Int, _ typeJ: Int32) -> Int { 0 }
    @inline(__always) func cutSquared(_ t: Int) -> Double { c2 }
    @inline(__always) func lj1(_ t: Int) -> Double { l1 }
    @inline(__always) func lj2(_ t: Int) -> Double { l2 }
    @inline(__always) func lj3(_ t: Int) -> Double { l3 }
    @inline(__always) func lj4(_ t: Int) -> Double { l4 }
    @inline(__always) func offset(_ t: Int) -> Double { off }
}

/// Several species: parameters from flat tables indexed by (type i, type j). The tables are kept
/// alive by the potential for the duration of the evaluation.
struct TypedPairs: LJPairParameters {
    let n: Int
    let c2, l1, l2, l3, l4, off: UnsafePointer<Double>
    init(_ lj: LennardJones) {
        n = lj.typeCount
        c2 = lj.cutSquared.withUnsafeBufferPointer { $0.baseAddress! }
        l1 = lj.lj1.withUnsafeBufferPointer { $0.baseAddress! }
        l2 = lj.lj2.withUnsafeBufferPointer { $0.baseAddress! }
        l3 = lj.lj3.withUnsafeBufferPointer { $0.baseAddress! }
        l4 = lj.lj4.withUnsafeBufferPointer { $0.baseAddress! }
        off = lj.offset.withUnsafeBufferPointer { $0.baseAddress! }
    }
    @inline(__always) func row(_ typeI: Int32) -> Int { Int(typeI) * n }
    @inline(__always) func index(_ row: Int, _ typeJ: Int32) -> Int { row + Int(typeJ) }
    @inline(__always) func cutSquared(_ t: Int) -> Double { c2[t] }
    @inline(__always) func lj1(_ t: Int) -> Double { l1[t] }
    @inline(__always) func lj2(_ t: Int) -> Double { l2[t] }
    @inline(__always) func lj3(_ t: Int) -> Double { l3[t] }
    @inline(__always) func lj4(_ t: Int) -> Double { l4[t] }
    @inline(__always) func offset(_ t: Int) -> Double { off[t] }
}
