import CrucibleCore

extension PowerSpectrum {
    /// Dense position and strain gradients of every centre's power spectrum (`DenseGradients`).
    public func gradients(rows: PairRows, species: [Int32], coefficients: [Double], strain: Bool = true) -> DenseGradients {
        let size = expansion.coefficientCount, counts = expansion.settings.radialCounts, f = featureCount
        var dc: [Double] = []
        let scratch = SphericalExpansion.PairScratch(expansion)
        var touched = [Bool](repeating: false, count: expansion.channels.channelCount)
        return DenseGradients(rows: rows, featureCount: f, strain: strain) { i, p, dp in
            expansion.pairDerivative(rows: rows, pair: p, species: species, into: &dc, scratch: scratch)
            // Only channel pairs holding a channel the neighbour contributes to have a derivative.
            for k in touched.indices { touched[k] = false }
            let aj = Int(rows.neighborSpecies[p])
            for k in expansion.contributionStart[aj]..<expansion.contributionStart[aj + 1] { touched[expansion.contributionChannel[k]] = true }
            let c = i * size
            // ∂p/∂r = s Σ_m (∂c1 c2 + c1 ∂c2), per component α.
            for a in 0..<3 {
                for (k, (j1, j2)) in pairs.enumerated() {
                    guard touched[j1] || touched[j2] else {
                        for q in (a * f + k * perPair)..<(a * f + (k + 1) * perPair) { dp[q] = 0 }
                        continue
                    }
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
