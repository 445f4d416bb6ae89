/// How the EAM loops find a species pair's spline tables: one element (all offsets equal, and the
/// density at i due to j is the density at j due to i), or several (flat offset tables).
protocol EAMElementTables {
    static var oneElement: Bool { get }
    /// Offset of the ρ spline for the density at a `target` atom due to a `source` atom.
    func density(at target: Int32, from source: Int32) -> Int
    /// Offset of the r·φ spline of the pair.
    func pair(_ a: Int32, _ b: Int32) -> Int
}

struct UniformElements: EAMElementTables {
    static var oneElement: Bool { true }
    let densityOffset: Int, pairOffset: Int
    init(_ eam: EmbeddedAtom) { densityOffset = eam.densityOffset[0]; pairOffset = eam.pairOffset[0] }
    @inline(__always) func density(at target: Int32, from source: Int32) -> Int { densityOffset }
    @inline(__always) func pair(_ a: Int32, _ b: Int32) -> Int { pairOffset }
}

/// The offset tables stay alive in the potential for the duration of an evaluation.
struct TypedElements: EAMElementTables {
    static var oneElement: Bool { false }
    let n: Int
    let densityOffset: UnsafePointer<Int>, pairOffset: UnsafePointer<Int>
    init(_ eam: EmbeddedAtom) {
        n = eam.typeCount
        densityOffset = eam.densityOffset.withUnsafeBufferPointer { $0.baseAddress! }
        pairOffset = eam.pairOffset.withUnsafeBufferPointer { $0.baseAddress! }
    }
    @inline(__always) func density(at target: Int32, from source: Int32) -> Int { densityOffset[Int(target) * n + Int(source)] }
    @inline(__always) func pair(_ a: Int32, _ b: Int32) -> Int { pairOffset[Int(a) * n + Int(b)] }
}
