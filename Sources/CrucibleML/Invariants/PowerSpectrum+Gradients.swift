import CrucibleCore

extension PowerSpectrum {
    /// Dense position and strain gradients of every centre's power spectrum (`DenseGradients`).
    public func gradients(rows: PairRows, species: [Int32], coefficients: [Double]) -> DenseGradients {
        let size = expansion.coefficientCount, counts = expansion.settings.radialCounts, f = featureCount
        var dc: [Double] = []
        return DenseGradients(rows: rows, featureCount: f) { i, p, dp in
            expansion.pairDerivative(rows: rows, pair: p, species: species, into: &dc)
            let c = i * size
            // ∂p/∂r = s Σ_m (∂c1 c2 + c1 ∂c2), per component α.
            for a in 0..<3 {
                for (k, (j1, j2)) in pairs.enumerated() {
                    for (l, nl) in counts.enumerated() {
                        let width = 2 * l + 1, s = scale(j1, j2, l)
                        let o1 = expansion.blockOffsets[l] + j1 * nl * width, o2 = expansion.blockOffsets[l] + j2 * nl * width
                        let out = a * f + k * perPair + degreeOffsets[l]
                        for n1 in 0..<nl {
                            for n2 in 0..<nl {
                                var sum = 0.0
                                for m in 0..<width {
                                    sum += dc[a * size + o1 + n1 * width + m] * coefficients[c + o2 + n2 * width + m]
                                        + coefficients[c + o1 + n1 * width + m] * dc[a * size + o2 + n2 * width + m]
                                }
                                dp[out + n1 * nl + n2] = s * sum
                            }
                        }
                    }
                }
            }
        }
    }
}
