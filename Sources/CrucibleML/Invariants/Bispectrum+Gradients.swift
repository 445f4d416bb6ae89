import CrucibleCore

extension Bispectrum {
    /// Dense position and strain gradients of every centre's bispectrum (`DenseGradients`), by the
    /// product rule on each pair's coefficient derivative: dB = Σ W (dc1 c2 c3 + c1 dc2 c3 + c1 c2 dc3).
    public func gradients(rows: PairRows, species: [Int32], coefficients: [Double], strain: Bool = true) -> DenseGradients {
        let size = expansion.coefficientCount, f = featureCount
        var dc: [Double] = []
        let scratch = SphericalExpansion.PairScratch(expansion)
        let t = UnsafeMutablePointer<Double>.allocate(capacity: 2 * width)
        defer { t.deallocate() }
        let dt = t + width
        return coefficients.withUnsafeBufferPointer { cb in
            DenseGradients(rows: rows, featureCount: f, strain: strain) { i, p, dp in
                expansion.pairDerivative(rows: rows, pair: p, species: species, into: &dc, scratch: scratch)
                let c = cb.baseAddress! + i * size
                dc.withUnsafeBufferPointer { db in
                    for a in 0..<3 {
                        let d = db.baseAddress! + a * size
                        let out = a * f
                        for b in blocks {
                            let (l1, l2, l3) = b.degrees, w3 = 2 * l3 + 1
                            var q = b.offset
                            for a1 in 0..<b.slots.0 {
                                for a2 in b.secondStart(a1)..<b.slots.1 {
                                    let c1 = slot(c, l1, a1), c2 = slot(c, l2, a2), d1 = slot(d, l1, a1), d2 = slot(d, l2, a2)
                                    t.update(repeating: 0, count: w3)
                                    dt.update(repeating: 0, count: w3)
                                    for e in b.coupling.entries {
                                        t[e.m3] += e.value * c1[e.m1] * c2[e.m2]
                                        dt[e.m3] += e.value * (d1[e.m1] * c2[e.m2] + c1[e.m1] * d2[e.m2])
                                    }
                                    for a3 in b.thirdStart(a2)..<b.slots.2 {
                                        let c3 = slot(c, l3, a3), d3 = slot(d, l3, a3)
                                        var sum = 0.0
                                        for m in 0..<w3 { sum += dt[m] * c3[m] + t[m] * d3[m] }
                                        dp[out + q] = sum
                                        q += 1
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
