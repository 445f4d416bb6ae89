import CrucibleCore
import Foundation

/// Trains a model's non-linear layer (`Network`) on what its linear parts leave: energies and
/// forces of the residual E − E_linear, F − F_linear, by Adam on mini-batches of frames (step size
/// decaying as a half cosine to 5% over the epochs), keeping the parameters with the lowest
/// validation loss. Loss per frame: w_E (ΔE/N)² + w_F · mean over components of ΔF² + w_S · mean
/// over the six components of Δσ² (frames with a stress label), the criterion the ridge's
/// regularisation is chosen by.
///
/// The network reads the pair term's radial spectrum or the model's power spectrum (`input`).
/// Those invariants of a frame do not change during training, so each frame's invariants and pair
/// rows are made once. Per frame and step: the network's energies and input gradients g_i, forces
/// by the invariants' backward pass, then the force residual's direction in feature space
/// v_i = Σ_k ∂x_i/∂r_k res_k (forward mode: the expansion's directional derivative, and for the
/// power spectrum its product rule), which turns ∂(force loss)/∂θ into −2 w_F Σ_i ∂(g_i · v_i)/∂θ:
/// analytic, with no feature-gradient tensor. The stress residual works the same way: with σ =
/// (1/V) Σ_p sym(r_p ⊗ ∂E/∂r_p), Σ_k Δσ_k σ_k = (1/V) Σ_i g_i · v_i for the deformation r_p → M r_p
/// (M_aa = Δσ_aa, M_ab = Δσ_ab / 2), so one forward pass along δ_j − δ_i + M r_p serves both.
/// Frames of a batch run in parallel; their gradients are summed in frame order (same bits for any
/// thread count).
public struct NetworkFit {
    public var input: Network.Input
    public var hidden: Int
    public var epochs: Int
    public var batchFrames: Int
    public var learningRate: Double
    public var energyWeight: Double
    public var forceWeight: Double
    /// Weight of the stress components ((eV/Å³)⁻²; frames without a stress label add nothing).
    public var stressWeight = 0.0
    public var seed: UInt64
    public var workers: Workers

    public init(input: Network.Input = .radialSpectrum, hidden: Int, epochs: Int, batchFrames: Int, learningRate: Double,
                energyWeight: Double, forceWeight: Double, seed: UInt64, workers: Workers) {
        self.input = input; self.hidden = hidden; self.epochs = epochs; self.batchFrames = batchFrames; self.learningRate = learningRate
        self.energyWeight = energyWeight; self.forceWeight = forceWeight; self.seed = seed; self.workers = workers
    }

    /// One epoch's figures: energy RMSE (eV/atom) and force RMSE (eV/Å) on training and validation.
    public struct Epoch: Sendable {
        public var trainEnergy: Double, trainForces: Double, validationEnergy: Double, validationForces: Double
    }

    /// A frame as training sees it: the network's inputs per atom, what they are made from, and
    /// the residual targets.
    struct Frame {
        enum Invariants {
            case radial(SphericalExpansion)
            /// The spectrum and the frame's coefficients (its backward and forward passes need them).
            case power(PowerSpectrum, coefficients: [Double])
        }
        let invariants: Invariants
        let rows: PairRows
        let species: [Int32]
        let elements: [Int]
        /// atoms × network inputs.
        let inputs: [Double]
        let energy: Double
        let forces: [Double]?
        /// Residual stress target (Voigt, ASE's sign) and the cell volume.
        let stress: [Double]?
        let volume: Double

        /// ∂E/∂r per pair from ∂E/∂x per atom.
        func pairGradients(_ g: [Double]) -> [Double] {
            var out: [Double] = []
            switch invariants {
            case .radial(let expansion):
                expansion.pairGradients(rows: rows, species: species, coefficientGradients: g, workers: .serial, into: &out)
            case .power(let spectrum, let coefficients):
                var dc: [Double] = []
                spectrum.coefficientGradients(featureGradients: g, coefficients: coefficients, atomCount: elements.count, workers: .serial, into: &dc)
                spectrum.expansion.pairGradients(rows: rows, species: species, coefficientGradients: dc, workers: .serial, into: &out)
            }
            return out
        }

        /// The change of every atom's inputs when the atoms move by `displacements` (flat 3N) and
        /// the pair vectors by `deformation` (3 × 3).
        func direction(_ displacements: [Double]?, deformation: [Double]?) -> [Double] {
            var out: [Double] = []
            switch invariants {
            case .radial(let expansion):
                expansion.directionalDerivative(rows: rows, displacements: displacements, deformation: deformation, into: &out)
            case .power(let spectrum, let coefficients):
                var dc: [Double] = []
                spectrum.expansion.directionalDerivative(rows: rows, displacements: displacements, deformation: deformation, into: &dc)
                spectrum.directionalDerivative(coefficients: coefficients, directions: dc, atomCount: elements.count, into: &out)
            }
            return out
        }
    }

    /// On the radial spectrum, `model` must have a pair term; returns it with the trained network.
    public func fit(model: MLModel, training: [TrainingFrame], validation: [TrainingFrame],
                    progress: (Int, Epoch) -> Void = { _, _ in }) throws -> (model: MLModel, history: [Epoch]) {
        if input == .radialSpectrum && model.pair == nil {
            throw InputError(file: "fit", key: "network", "the network reads the pair term's radial spectrum: add pair")
        }
        var linear = model
        linear.network = nil
        let train = try training.map { try prepare($0, model: linear) }
        let valid = try validation.map { try prepare($0, model: linear) }
        let inputs = train.first.map { $0.inputs.count / max(1, $0.elements.count) } ?? 0, s = model.species.count
        // Standardise inputs over the training atoms.
        var mean = [Double](repeating: 0, count: inputs), square = mean, atoms = 0.0
        for f in train {
            for i in 0..<f.elements.count {
                for q in 0..<inputs { let r = f.inputs[i * inputs + q]; mean[q] += r; square[q] += r * r }
                atoms += 1
            }
        }
        let shift = mean.map { $0 / max(atoms, 1) }
        let scale = (0..<inputs).map { q -> Double in
            let variance = square[q] / max(atoms, 1) - shift[q] * shift[q]
            return variance > 1e-16 ? variance.squareRoot() : 1
        }
        var random = RandomStream(seed: seed, stream: 92)
        let width = inputs + s
        var network = Network(input: input, hidden: hidden, inputs: inputs, elements: s, shift: shift, scale: scale,
                              inputWeights: (0..<(hidden * width)).map { _ in random.normal() / Double(width).squareRoot() },
                              hiddenBias: [Double](repeating: 0, count: hidden),
                              outputWeights: (0..<hidden).map { _ in 1e-3 * random.normal() })
        let count = network.parameterCount
        var m = [Double](repeating: 0, count: count), v = m
        var best: (loss: Double, parameters: [Double])? = nil
        var history: [Epoch] = []
        var order = Array(train.indices), step = 0
        let batchesPerEpoch = (train.count + batchFrames - 1) / batchFrames, totalSteps = Double(max(1, epochs * batchesPerEpoch))
        for epoch in 0...epochs {
            if epoch > 0 {
                for k in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(k, Int(random.next() % UInt64(k + 1))) }
                for start in stride(from: 0, to: order.count, by: batchFrames) {
                    let batch = Array(order[start..<min(order.count, start + batchFrames)])
                    let gradient = batchGradient(batch.map { train[$0] }, network: network)
                    step += 1
                    let t = Double(step)
                    let rate = learningRate * (0.05 + 0.95 * 0.5 * (1 + cos(Double.pi * (t - 1) / totalSteps)))
                    var p = network.parameters
                    for k in 0..<count {
                        m[k] = 0.9 * m[k] + 0.1 * gradient[k]
                        v[k] = 0.999 * v[k] + 0.001 * gradient[k] * gradient[k]
                        p[k] -= rate * (m[k] / (1 - pow(0.9, t))) / ((v[k] / (1 - pow(0.999, t))).squareRoot() + 1e-12)
                    }
                    network.parameters = p
                }
            }
            let (trainE, trainF, _) = errors(train, network: network)
            let (validE, validF, validLoss) = valid.isEmpty ? errors(train, network: network) : errors(valid, network: network)
            let record = Epoch(trainEnergy: trainE, trainForces: trainF, validationEnergy: validE, validationForces: validF)
            history.append(record)
            if best == nil || validLoss < best!.loss { best = (validLoss, network.parameters) }
            progress(epoch, record)
        }
        network.parameters = best!.parameters
        var trained = model
        trained.network = network
        return (trained, history)
    }

    func prepare(_ frame: TrainingFrame, model: MLModel) throws -> Frame {
        var c = frame.configuration
        let modelIndex = try c.speciesTable.elements.map { symbol -> Int in
            guard let m = model.species.firstIndex(of: symbol) else {
                throw InputError(file: "training data", key: "species", "a frame holds \(symbol), which the model does not list")
            }
            return m
        }
        // The linear parts' predictions: the network learns the rest.
        let potential = try MLPotential(model: model, speciesTable: c.speciesTable, name: "fit")
        var evaluator = Evaluator(potential: potential, skin: 0, threads: 1)
        let linear = evaluator.evaluate(&c, request: [.energy, .forces, .virial])
        let volume = c.cell.periodic.allSatisfy { $0 } ? c.cell.volume : 0
        // The radial spectrum reaches the pair term's cutoff, the power spectrum the model's.
        let reach = input == .radialSpectrum ? (model.pair?.cutoff ?? model.settings.cutoff) : model.settings.cutoff
        var list = NeighborList(cutoff: reach, skin: 0)
        list.update(&c, workers: .serial)
        var rows = PairRows(cutoff: reach)
        rows.build(from: list)
        let invariants: Frame.Invariants
        var inputs: [Double] = []
        switch input {
        case .radialSpectrum:
            let expansion = model.radialExpansion(for: modelIndex)!
            expansion.coefficients(rows: rows, species: c.species, workers: .serial, into: &inputs)
            invariants = .radial(expansion)
        case .powerSpectrum:
            let spectrum = PowerSpectrum(expansion: SphericalExpansion(settings: model.settings, channels: model.channels(for: modelIndex)))
            var coefficients: [Double] = []
            spectrum.expansion.coefficients(rows: rows, species: c.species, workers: .serial, into: &coefficients)
            spectrum.features(coefficients: coefficients, atomCount: c.count, workers: .serial, into: &inputs)
            invariants = .power(spectrum, coefficients: coefficients)
        }
        return Frame(invariants: invariants, rows: rows, species: c.species, elements: c.species.map { modelIndex[Int($0)] },
                     inputs: inputs, energy: frame.energy - linear.energy,
                     forces: frame.forces.map { f in f.indices.map { f[$0] - linear.forces[$0] } },
                     stress: volume > 0 ? frame.stress.map { s in (0..<6).map { s[$0] + linear.virial[$0] / volume } } : nil, volume: volume)
    }

    /// Network energy and forces of a frame, and (with `gradient`) the loss gradient added there.
    func evaluate(_ f: Frame, network: Network, gradient: UnsafeMutablePointer<Double>?) -> (energy: Double, forceSquares: Double, loss: Double) {
        let n = f.elements.count, inputs = network.inputs
        let hiddenScratch = UnsafeMutablePointer<Double>.allocate(capacity: network.scratchCount)
        defer { hiddenScratch.deallocate() }
        var g = [Double](repeating: 0, count: n * inputs), energy = 0.0
        f.inputs.withUnsafeBufferPointer { r in
            g.withUnsafeMutableBufferPointer { gb in
                for i in 0..<n {
                    energy += network.energy(r.baseAddress! + i * inputs, element: f.elements[i], gradient: gb.baseAddress! + i * inputs,
                                             scratch: hiddenScratch)
                }
            }
        }
        let de = (energy - f.energy) / Double(n)
        var loss = energyWeight * de * de, forceSquares = 0.0
        var residual: [Double] = [], pairGradients: [Double] = []
        let wantForces = f.forces != nil, wantStress = f.stress != nil && stressWeight > 0
        if wantForces || wantStress { pairGradients = f.pairGradients(g) }
        if let reference = f.forces {
            var forces = [Double](repeating: 0, count: 3 * n)
            f.rows.addForces(pairGradients: pairGradients, to: &forces, workers: .serial)
            residual = (0..<(3 * n)).map { forces[$0] - reference[$0] }
            forceSquares = residual.reduce(0) { $0 + $1 * $1 }
            loss += forceWeight * forceSquares / Double(3 * n)
        }
        // Stress: σ = −W/V (ASE's sign), its residual as the symmetric deformation M (see above).
        var deformation: [Double]? = nil
        if wantStress, let reference = f.stress {
            let w = f.rows.virial(pairGradients: pairGradients)
            let d = (0..<6).map { -w[$0] / f.volume - reference[$0] }
            loss += stressWeight * d.reduce(0) { $0 + $1 * $1 } / 6
            deformation = [d[0], d[5] / 2, d[4] / 2, d[5] / 2, d[1], d[3] / 2, d[4] / 2, d[3] / 2, d[2]]
        }
        guard let gradient else { return (de, forceSquares, loss) }
        // ∂loss/∂θ = α ∂NN/∂θ + Σ_i ∂(g_i · v_i)/∂θ, v along βF·(δ_j − δ_i) + βS·M r_p.
        let betaF = -2 * forceWeight / Double(3 * n), betaS = 2 * stressWeight / (6 * max(f.volume, 1e-300))
        let useForces = !residual.isEmpty && forceWeight > 0
        var direction: [Double] = []
        if useForces || deformation != nil {
            direction = f.direction(useForces ? residual.map { betaF * $0 } : nil, deformation: deformation.map { $0.map { betaS * $0 } })
        }
        let alpha = 2 * energyWeight * de / Double(n), beta = 1.0
        f.inputs.withUnsafeBufferPointer { r in
            direction.withUnsafeBufferPointer { v in
                for i in 0..<n {
                    network.accumulateParameterGradient(r.baseAddress! + i * inputs, element: f.elements[i], energyFactor: alpha,
                                                        direction: direction.isEmpty ? nil : v.baseAddress! + i * inputs,
                                                        directionFactor: beta, into: gradient, scratch: hiddenScratch)
                }
            }
        }
        return (de, forceSquares, loss)
    }

    /// Mean loss gradient over `batch` (frames in parallel, summed in order).
    func batchGradient(_ batch: [Frame], network: Network) -> [Double] {
        let count = network.parameterCount
        var slots = [Double](repeating: 0, count: batch.count * count)
        slots.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            workers.forEach(batch.count) { k in _ = evaluate(batch[k], network: network, gradient: base + k * count) }
        }
        var total = [Double](repeating: 0, count: count)
        for k in 0..<batch.count { for q in 0..<count { total[q] += slots[k * count + q] } }
        return total.map { $0 / Double(batch.count) }
    }

    /// Energy RMSE per atom, force-component RMSE and mean loss of the model on `frames`.
    func errors(_ frames: [Frame], network: Network) -> (Double, Double, Double) {
        var out = [(Double, Double, Double)](repeating: (0, 0, 0), count: frames.count)
        out.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            workers.forEach(frames.count) { k in base[k] = evaluate(frames[k], network: network, gradient: nil) }
        }
        var e = 0.0, f = 0.0, components = 0, loss = 0.0
        for (k, r) in out.enumerated() {
            e += r.0 * r.0; f += r.1; loss += r.2
            components += frames[k].forces?.count ?? 0
        }
        let n = Double(max(1, frames.count))
        return ((e / n).squareRoot(), components > 0 ? (f / Double(components)).squareRoot() : 0, loss / n)
    }
}
