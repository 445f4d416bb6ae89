import COpenBLAS
import CrucibleCore
import Foundation

extension Network {
    /// The network in the form a whole block of atoms is evaluated in: the standardisation folded
    /// into the first layer (W' = W / scale, b' = b − W' · shift) and the element one-hot turned into
    /// one bias row per element, so each layer is one matrix product (BLAS dgemm) over the atoms of
    /// the block instead of a matrix–vector product per atom. The force pass is a product too:
    /// ∂NN/∂x = D1 W' with D1 the hidden units' sensitivities.
    struct Batched: Sendable {
        let hidden: Int, inputs: Int, secondUnits: Int
        /// hidden × inputs, row-major.
        let firstWeights: [Double]
        /// elements × hidden: the first layer's bias for a centre of each element.
        let firstBias: [Double]
        /// secondUnits × hidden, row-major, and biases (empty with one layer).
        let secondWeights: [Double], secondBias: [Double]
        let outputWeights: [Double]

        init(_ n: Network) {
            hidden = n.hidden; inputs = n.inputs; secondUnits = n.secondUnits
            var w = [Double](repeating: 0, count: n.hidden * n.inputs), shiftTerm = [Double](repeating: 0, count: n.hidden)
            for k in 0..<n.hidden {
                for q in 0..<n.inputs {
                    let scaled = n.inputWeights[k * n.width + q] / n.scale[q]
                    w[k * n.inputs + q] = scaled
                    shiftTerm[k] += scaled * n.shift[q]
                }
            }
            firstWeights = w
            firstBias = (0..<n.elements).flatMap { a in (0..<n.hidden).map { k in n.hiddenBias[k] - shiftTerm[k] + n.inputWeights[k * n.width + n.inputs + a] } }
            secondWeights = n.secondLayerWeights ?? []
            secondBias = n.secondLayerBias ?? []
            outputWeights = n.outputWeights
        }

        /// Doubles of scratch `evaluate` needs for `count` atoms.
        func scratchCount(_ count: Int) -> Int { count * (2 * hidden + 2 * secondUnits) }

        /// Energies of `count` atoms whose inputs are the rows of `x` (count × inputs) and elements
        /// `element(i)`, into `energies`; with `gradients` (count × inputs), ∂NN/∂x is added there.
        func evaluate(_ x: UnsafePointer<Double>, count m: Int, element: (Int) -> Int, energies: UnsafeMutablePointer<Double>,
                      adding gradients: UnsafeMutablePointer<Double>?, scratch: UnsafeMutablePointer<Double>) {
            guard m > 0 else { return }
            let t1 = scratch, d1 = scratch + m * hidden
            let t2 = d1 + m * hidden, d2 = t2 + m * secondUnits
            // First layer: T1 = tanh(X W'ᵀ + b'(a)).
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(hidden), Int32(inputs),
                        1, x, Int32(inputs), firstWeights, Int32(inputs), 0, t1, Int32(hidden))
            for i in 0..<m {
                let bias = element(i) * hidden, row = t1 + i * hidden
                for k in 0..<hidden { row[k] = tanh(row[k] + firstBias[bias + k]) }
            }
            if secondUnits == 0 {
                for i in 0..<m {
                    var e = 0.0
                    for k in 0..<hidden {
                        let t = t1[i * hidden + k]
                        e += outputWeights[k] * t
                        d1[i * hidden + k] = outputWeights[k] * (1 - t * t)
                    }
                    energies[i] = e
                }
            } else {
                // Second layer: T2 = tanh(T1 W2ᵀ + b2), NN = T2 o; D2 = o (1 − T2²), D1 = (D2 W2) (1 − T1²).
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(secondUnits), Int32(hidden),
                            1, t1, Int32(hidden), secondWeights, Int32(hidden), 0, t2, Int32(secondUnits))
                for i in 0..<m {
                    var e = 0.0
                    for j in 0..<secondUnits {
                        let t = tanh(t2[i * secondUnits + j] + secondBias[j])
                        e += outputWeights[j] * t
                        d2[i * secondUnits + j] = outputWeights[j] * (1 - t * t)
                    }
                    energies[i] = e
                }
                guard gradients != nil else { return }
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(hidden), Int32(secondUnits),
                            1, d2, Int32(secondUnits), secondWeights, Int32(hidden), 0, d1, Int32(hidden))
                for k in 0..<(m * hidden) { d1[k] *= 1 - t1[k] * t1[k] }
            }
            guard let gradients else { return }
            // ∂NN/∂x = D1 W' (added).
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(inputs), Int32(hidden),
                        1, d1, Int32(hidden), firstWeights, Int32(inputs), 1, gradients, Int32(inputs))
        }
    }
}
