/// Compile-time switches for pair kernels: a kernel generic over these is specialised by the
/// optimiser into separate loops, so a force-only step does no energy arithmetic and a
/// one-species system reads its parameters from registers instead of tables.
public protocol KernelSwitch { static var isOn: Bool { get } }
public enum SwitchOn: KernelSwitch { @inline(__always) public static var isOn: Bool { true } }
public enum SwitchOff: KernelSwitch { @inline(__always) public static var isOn: Bool { false } }

extension PotentialRequest {
    /// Whether the pair loop must compute energies (total or per atom).
    var needsEnergy: Bool { contains(.energy) || contains(.perAtomEnergies) }
}
