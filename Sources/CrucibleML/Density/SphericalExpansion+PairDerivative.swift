import CrucibleCore

extension SphericalExpansion {
    /// ∂c_i/∂r_p of centre i's coefficients with respect to the vector r_p of one pair of its row,
    /// into `derivative` (3 × coefficientCount, α-major; zero outside the neighbour's channels).
    /// The dense form, for descriptor output with gradients; models use `pairGradients` instead.
    /// `scratch`: pair buffers reused across calls (one is made when none is given).
    func pairDerivative(rows: PairRows, pair p: Int, species: [Int32], into derivative: inout [Double], scratch: PairScratch? = nil) {
        let size = coefficientCount
        if derivative.count != 3 * size { derivative = [Double](repeating: 0, count: 3 * size) } else {
            derivative.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
        let s = scratch ?? PairScratch(self)
        let x = rows.vectors[3 * p], y = rows.vectors[3 * p + 1], z = rows.vectors[3 * p + 2]
        let d = (x * x + y * y + z * z).squareRoot()
        let (w, dw) = neighborWeight(d)
        radial.table.evaluate(d, values: s.radial, slopes: s.radialSlope)
        harmonics.evaluate(x, y, z, values: s.y, gradients: s.yGradient, scratch: &s.harmonics)
        let unit = [x / d, y / d, z / d]
        let aj = Int(species[Int(rows.neighbor[p])])
        let counts = settings.radialCounts
        for k in contributionStart[aj]..<contributionStart[aj + 1] {
            let channel = contributionChannel[k], u = contributionWeight[k]
            for l in 0...settings.maxAngular {
                let width = 2 * l + 1, nl = counts[l]
                let block = blockOffsets[l] + channel * nl * width
                for q in 0..<nl {
                    let r = s.radial[radial.offsets[l] + q], dr = s.radialSlope[radial.offsets[l] + q]
                    let along = u * (dw * r + w * dr), across = u * w * r
                    for m in 0..<width {
                        let yk = l * l + m
                        for a in 0..<3 {
                            derivative[a * size + block + q * width + m] += along * unit[a] * s.y[yk] + across * s.yGradient[3 * yk + a]
                        }
                    }
                }
            }
        }
    }
}
