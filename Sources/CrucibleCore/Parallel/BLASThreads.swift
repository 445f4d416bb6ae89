import COpenBLAS

/// OpenBLAS starts one server thread per core when the library loads, and each spins in
/// `sched_yield` waiting for work (measured here: 6% of a core through a whole MD run that never
/// calls BLAS). On two cores that takes time from the engine's own threads. Crucible calls BLAS
/// only from the fits, single-threaded (their sums must not depend on OpenBLAS's thread count), so
/// the command line stops those threads at start-up.
public enum BLASThreads {
    public static func keepCallerThreadOnly() {
        openblas_set_num_threads(1)
        _ = blas_thread_shutdown_()
    }
}
