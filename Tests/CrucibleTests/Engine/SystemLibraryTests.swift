import Foundation
import CFFTW
import COpenBLAS
import Testing

/// The C libraries behind the system-library targets link and compute: a BLAS dot product, a
/// LAPACK solve and an FFT of a cosine (the ML potential's LODE term and fitting will use these).
@Suite struct SystemLibraryTests {
    @Test func blasAndLapack() {
        let x: [Double] = [1, 2, 3], y: [Double] = [4, 5, 6]
        #expect(cblas_ddot(3, x, 1, y, 1) == 32)
        // Solve [[2, 1], [1, 3]] z = [3, 5] → z = [0.8, 1.4].
        var a: [Double] = [2, 1, 1, 3], b: [Double] = [3, 5]
        var pivots = [Int32](repeating: 0, count: 2)
        let info = LAPACKE_dgesv(LAPACK_ROW_MAJOR, 2, 1, &a, 2, &pivots, &b, 1)
        #expect(info == 0 && abs(b[0] - 0.8) < 1e-14 && abs(b[1] - 1.4) < 1e-14)
    }

    @Test func fftOfACosine() {
        let n = 16
        let input = fftw_alloc_complex(n)!, output = fftw_alloc_complex(n)!
        defer { fftw_free(input); fftw_free(output) }
        // Planning is not thread-safe; this is the only planner in the test process today.
        let plan = fftw_plan_dft_1d(Int32(n), input, output, FFTW_FORWARD, FFTW_ESTIMATE)
        defer { fftw_destroy_plan(plan) }
        let raw = UnsafeMutableRawPointer(input).assumingMemoryBound(to: Double.self)
        for k in 0..<n { raw[2 * k] = cos(2 * Double.pi * 3 * Double(k) / Double(n)); raw[2 * k + 1] = 0 }
        fftw_execute(plan)
        let out = UnsafeMutableRawPointer(output).assumingMemoryBound(to: Double.self)
        // A cosine of frequency 3 puts n/2 into bins 3 and n − 3, nothing elsewhere.
        for k in 0..<n {
            let expected = (k == 3 || k == n - 3) ? Double(n) / 2 : 0
            #expect(abs(out[2 * k] - expected) < 1e-12 && abs(out[2 * k + 1]) < 1e-12)
        }
    }
}
