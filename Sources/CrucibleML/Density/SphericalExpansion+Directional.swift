import CrucibleCore

extension SphericalExpansion {
    /// The change of every centre's coefficients when atoms move by `displacements` (flat 3N) and
    /// every pair vector by `deformation` (a 3 × 3 matrix M, row-major: r_p gains M r_p):
    /// dc_i = Σ_p ∂c_i/∂r_p · (δ_j − δ_i + M r_p), the forward-mode counterpart of `pairGradients`.
    /// Training uses it to carry a force residual (displacements) and a stress residual (a
    /// symmetric M) into feature space without forming ∂c/∂r.
    public func directionalDerivative(rows: PairRows, displacements delta: [Double]?, deformation m: [Double]? = nil, into dc: inout [Double]) {
        let n = rows.atomCount, size = coefficientCount
        if dc.count != n * size { dc = [Double](repeating: 0, count: n * size) }
        let counts = settings.radialCounts, L = settings.maxAngular
        let s = PairScratch(self)
        dc.withUnsafeMutableBufferPointer { out in
            for i in 0..<n {
                let c = out.baseAddress! + i * size
                c.update(repeating: 0, count: size)
                for p in Int(rows.start[i])..<Int(rows.start[i + 1]) {
                    let j = Int(rows.neighbor[p])
                    let x = rows.vectors[3 * p], y = rows.vectors[3 * p + 1], z = rows.vectors[3 * p + 2]
                    var ex = 0.0, ey = 0.0, ez = 0.0
                    if let delta { ex = delta[3 * j] - delta[3 * i]; ey = delta[3 * j + 1] - delta[3 * i + 1]; ez = delta[3 * j + 2] - delta[3 * i + 2] }
                    if let m { ex += m[0] * x + m[1] * y + m[2] * z; ey += m[3] * x + m[4] * y + m[5] * z; ez += m[6] * x + m[7] * y + m[8] * z }
                    let d = (x * x + y * y + z * z).squareRoot()
                    let (w, dw) = neighborWeight(d)
                    let along = (x * ex + y * ey + z * ez) / d
                    radial.table.evaluate(d, values: s.radial, slopes: s.radialSlope)
                    harmonics.evaluate(x, y, z, values: s.y, gradients: s.yGradient, scratch: &s.harmonics)
                    // d(w R Y) along e: (w' R + w R') Y (r̂·e) + w R (∇Y·e).
                    for k in 0..<s.harmonicCount {
                        s.a[k] = s.y[k] * along
                        s.b[k] = s.yGradient[3 * k] * ex + s.yGradient[3 * k + 1] * ey + s.yGradient[3 * k + 2] * ez
                    }
                    let aj = Int(rows.neighborSpecies[p])
                    for k in contributionStart[aj]..<contributionStart[aj + 1] {
                        let channel = contributionChannel[k], u = contributionWeight[k]
                        for l in 0...L {
                            let width = 2 * l + 1, nl = counts[l]
                            let block = c + blockOffsets[l] + channel * nl * width
                            let r0 = radial.offsets[l], y0 = l * l
                            for q in 0..<nl {
                                let rq = s.radial[r0 + q], sq = s.radialSlope[r0 + q]
                                let fa = u * (dw * rq + w * sq), fb = u * w * rq
                                for m in 0..<width { block[q * width + m] += fa * s.a[y0 + m] + fb * s.b[y0 + m] }
                            }
                        }
                    }
                }
            }
        }
    }
}
