import CrucibleCore

extension PowerSpectrum {
    /// The change of every centre's features when its coefficients change by `directions` (both
    /// atomCount × coefficientCount): dp = s Σ_m (dc_a c_b + c_a dc_b), the product rule on
    /// `centerFeatures`. With `SphericalExpansion.directionalDerivative` it carries a force residual
    /// into feature space (training a network on the power spectrum) without forming ∂p/∂r.
    public func directionalDerivative(coefficients: [Double], directions: [Double], atomCount n: Int, into dp: inout [Double]) {
        if dp.count != n * featureCount { dp = [Double](repeating: 0, count: n * featureCount) }
        let size = expansion.coefficientCount, counts = expansion.settings.radialCounts
        coefficients.withUnsafeBufferPointer { cb in
            directions.withUnsafeBufferPointer { db in
                dp.withUnsafeMutableBufferPointer { out in
                    for i in 0..<n {
                        let c = cb.baseAddress! + i * size, d = db.baseAddress! + i * size
                        let p = out.baseAddress! + i * featureCount
                        for (k, (a, b)) in pairs.enumerated() {
                            for (l, nl) in counts.enumerated() {
                                let width = 2 * l + 1, s = scale(a, b, l)
                                let offA = expansion.blockOffsets[l] + a * nl * width, offB = expansion.blockOffsets[l] + b * nl * width
                                let target = p + k * perPair + degreeOffsets[l]
                                for n1 in 0..<nl {
                                    for n2 in 0..<nl {
                                        var sum = 0.0
                                        for m in 0..<width {
                                            sum += d[offA + n1 * width + m] * c[offB + n2 * width + m] + c[offA + n1 * width + m] * d[offB + n2 * width + m]
                                        }
                                        target[n1 * nl + n2] = s * sum
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
