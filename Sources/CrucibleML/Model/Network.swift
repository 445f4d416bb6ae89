/// The model's non-linear layer: one hidden layer of tanh units on a centre's invariants r (the
/// pair term's radial spectrum, or the model's compressed power spectrum; standardised) and its
/// element (one-hot), giving one energy per atom:
///
///   z = [(r − shift)/scale, onehot(a)],  h = W z + b,  NN = Σ_k o_k tanh(h_k),
///
/// or, with a second hidden layer (models converted from elsewhere, e.g. the published HEA25 one;
/// `crucible fit` trains one layer), NN = Σ_k o_k tanh(W2 tanh(h) + b2)_k.
///
/// The input gradient drives forces (through the invariants' backward pass); training needs the
/// parameter gradients of NN and of g · v (g = ∂NN/∂r, v a fixed direction in r): the latter is
/// how a force loss reaches the weights without forming ∂r/∂x.
public struct Network: Sendable, Equatable, Codable {
    /// The invariants the network reads.
    public enum Input: String, Sendable, Equatable, Codable, CaseIterable {
        /// The pair term's radial spectrum (ν = 1 on element channels): an embedding-like function
        /// of the centre's radial densities.
        case radialSpectrum = "radial-spectrum"
        /// The model's power spectrum (ν = 2 on its density channels, pseudoelements when it has
        /// them), as HEA25's non-linear layer.
        case powerSpectrum = "power-spectrum"
    }

    public var input: Input
    public var hidden: Int
    /// Invariant inputs (the element one-hot follows them in `inputWeights`' rows).
    public var inputs: Int
    public var elements: Int
    public var shift: [Double]
    public var scale: [Double]
    /// hidden × (inputs + elements), row-major.
    public var inputWeights: [Double]
    public var hiddenBias: [Double]
    /// eV per unit (of the last hidden layer).
    public var outputWeights: [Double]
    /// The second hidden layer, or nil: (second units) × hidden, row-major, and its biases.
    public var secondLayerWeights: [Double]?
    public var secondLayerBias: [Double]?

    public init(input: Input = .radialSpectrum, hidden: Int, inputs: Int, elements: Int, shift: [Double], scale: [Double],
                inputWeights: [Double], hiddenBias: [Double], outputWeights: [Double]) {
        self.input = input; self.hidden = hidden; self.inputs = inputs; self.elements = elements
        self.shift = shift; self.scale = scale
        self.inputWeights = inputWeights; self.hiddenBias = hiddenBias; self.outputWeights = outputWeights
    }

    enum CodingKeys: String, CodingKey {
        case input, hidden, inputs, elements, shift, scale, inputWeights, hiddenBias, outputWeights, secondLayerWeights, secondLayerBias
    }

    /// Model files written before the power-spectrum input have no `input`: theirs is the radial spectrum.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        input = try c.decodeIfPresent(Input.self, forKey: .input) ?? .radialSpectrum
        hidden = try c.decode(Int.self, forKey: .hidden)
        inputs = try c.decode(Int.self, forKey: .inputs)
        elements = try c.decode(Int.self, forKey: .elements)
        shift = try c.decode([Double].self, forKey: .shift)
        scale = try c.decode([Double].self, forKey: .scale)
        inputWeights = try c.decode([Double].self, forKey: .inputWeights)
        hiddenBias = try c.decode([Double].self, forKey: .hiddenBias)
        outputWeights = try c.decode([Double].self, forKey: .outputWeights)
        secondLayerWeights = try c.decodeIfPresent([Double].self, forKey: .secondLayerWeights)
        secondLayerBias = try c.decodeIfPresent([Double].self, forKey: .secondLayerBias)
    }

    /// Units of the second hidden layer (0: one layer).
    var secondUnits: Int { secondLayerBias?.count ?? 0 }
    /// Doubles of scratch `energy` needs.
    public var scratchCount: Int { secondUnits == 0 ? hidden : 2 * hidden + secondUnits }
    /// Every number of the network (for the model file's finiteness check).
    var allNumbers: [Double] { parameters + shift + scale + (secondLayerWeights ?? []) + (secondLayerBias ?? []) }

    var width: Int { inputs + elements }
    /// Number of trainable numbers (W, b, o), in the order `parameters` lists them.
    var parameterCount: Int { hidden * width + 2 * hidden }

    var parameters: [Double] {
        get { inputWeights + hiddenBias + outputWeights }
        set {
            let w = hidden * width
            inputWeights = Array(newValue[0..<w])
            hiddenBias = Array(newValue[w..<(w + hidden)])
            outputWeights = Array(newValue[(w + hidden)...])
        }
    }

    /// Shape problems (names the field), for the model file's validation.
    var problems: [String] {
        var found: [String] = []
        if hidden < 1 { found.append("hidden must be at least 1") }
        if shift.count != inputs || scale.count != inputs { found.append("shift and scale need \(inputs) entries") }
        if inputWeights.count != hidden * width { found.append("inputWeights needs \(hidden * width) entries (hidden × (inputs + elements))") }
        switch (secondLayerWeights, secondLayerBias) {
        case (nil, nil):
            if hiddenBias.count != hidden || outputWeights.count != hidden { found.append("hiddenBias and outputWeights need \(hidden) entries") }
        case (let w2?, let b2?):
            if hiddenBias.count != hidden { found.append("hiddenBias needs \(hidden) entries") }
            if b2.isEmpty || w2.count != b2.count * hidden { found.append("secondLayerWeights needs secondLayerBias.count × hidden = \(b2.count * hidden) entries") }
            if outputWeights.count != b2.count { found.append("outputWeights needs \(b2.count) entries (one per unit of the second layer)") }
        default:
            found.append("secondLayerWeights and secondLayerBias come together")
        }
        if scale.contains(where: { !($0 > 0) }) { found.append("scale entries must be positive") }
        return found
    }

    /// Hidden pre-activations of centre input r (raw invariants, before standardisation) and element a, into `h`.
    @inline(__always)
    func hiddenInputs(_ r: UnsafePointer<Double>, element a: Int, into h: UnsafeMutablePointer<Double>) {
        let w = width
        for k in 0..<hidden {
            var sum = hiddenBias[k] + inputWeights[k * w + inputs + a]
            let row = k * w
            for q in 0..<inputs { sum += inputWeights[row + q] * (r[q] - shift[q]) / scale[q] }
            h[k] = sum
        }
    }

    /// NN(r, a); with `gradient`, ∂NN/∂r is written there (inputs entries). `h`: `scratchCount` doubles.
    @inline(__always)
    func energy(_ r: UnsafePointer<Double>, element a: Int, gradient: UnsafeMutablePointer<Double>?,
                scratch h: UnsafeMutablePointer<Double>) -> Double {
        hiddenInputs(r, element: a, into: h)
        if let w2 = secondLayerWeights, let b2 = secondLayerBias { return twoLayerEnergy(r, w2, b2, gradient: gradient, scratch: h) }
        var e = 0.0
        for k in 0..<hidden { let t = tanh(h[k]); e += outputWeights[k] * t; h[k] = outputWeights[k] * (1 - t * t) }
        if let gradient { inputGradient(h, into: gradient) }
        return e
    }

    /// ∂NN/∂r = Wᵀ d / scale from the first layer's sensitivities d (hidden entries).
    @inline(__always)
    func inputGradient(_ d: UnsafePointer<Double>, into gradient: UnsafeMutablePointer<Double>) {
        let w = width
        for q in 0..<inputs {
            var g = 0.0
            for k in 0..<hidden { g += d[k] * inputWeights[k * w + q] }
            gradient[q] = g / scale[q]
        }
    }

    /// `energy` with the second layer: t1 = tanh(h), t2 = tanh(W2 t1 + b2), NN = o · t2; backward
    /// d2 = o (1 − t2²), d1 = (1 − t1²) W2ᵀ d2, ∂NN/∂r = W1ᵀ d1 / scale. Scratch: t1, d2, d1.
    @inline(__always)
    func twoLayerEnergy(_ r: UnsafePointer<Double>, _ w2: [Double], _ b2: [Double], gradient: UnsafeMutablePointer<Double>?,
                        scratch h: UnsafeMutablePointer<Double>) -> Double {
        let units = b2.count, t1 = h, d2 = h + hidden, d1 = h + hidden + units
        for k in 0..<hidden { t1[k] = tanh(t1[k]) }
        var e = 0.0
        for j in 0..<units {
            var sum = b2[j]
            let row = j * hidden
            for k in 0..<hidden { sum += w2[row + k] * t1[k] }
            let t = tanh(sum)
            e += outputWeights[j] * t
            d2[j] = outputWeights[j] * (1 - t * t)
        }
        guard let gradient else { return e }
        for k in 0..<hidden {
            var sum = 0.0
            for j in 0..<units { sum += d2[j] * w2[j * hidden + k] }
            d1[k] = sum * (1 - t1[k] * t1[k])
        }
        inputGradient(d1, into: gradient)
        return e
    }

    /// Adds α ∂NN/∂θ + β ∂(g · v)/∂θ at (r, a) to `into` (parameterCount entries, `parameters` order),
    /// where g = ∂NN/∂r and v (inputs entries) is held fixed.
    func accumulateParameterGradient(_ r: UnsafePointer<Double>, element a: Int, energyFactor alpha: Double,
                                     direction v: UnsafePointer<Double>?, directionFactor beta: Double,
                                     into grad: UnsafeMutablePointer<Double>, scratch h: UnsafeMutablePointer<Double>) {
        precondition(secondLayerBias == nil, "training covers one hidden layer")
        hiddenInputs(r, element: a, into: h)
        let w = width, biasStart = hidden * w, outStart = biasStart + hidden
        for k in 0..<hidden {
            let t = tanh(h[k]), s1 = 1 - t * t, s2 = -2 * t * s1, o = outputWeights[k]
            // Energy: ∂/∂o_k = t, ∂/∂b_k = o s', ∂/∂W_kq = o s' z_q.
            var dB = alpha * o * s1
            grad[outStart + k] += alpha * t
            // Direction: g·v = Σ_k o_k s'_k u_k with u_k = Σ_q W_kq v_q / scale_q.
            var u = 0.0
            if let v, beta != 0 {
                for q in 0..<inputs { u += inputWeights[k * w + q] * v[q] / scale[q] }
                grad[outStart + k] += beta * s1 * u
                dB += beta * o * s2 * u
            }
            grad[biasStart + k] += dB
            // ∂/∂W_kq: dB z_q, plus β o s' v_q/scale_q for the radial inputs.
            let row = grad + k * w
            for q in 0..<inputs {
                row[q] += dB * (r[q] - shift[q]) / scale[q]
                if let v, beta != 0 { row[q] += beta * o * s1 * v[q] / scale[q] }
            }
            row[inputs + a] += dB
        }
    }
}

import Foundation
