import COpenBLAS

/// OpenBLAS starts one server thread per core when the library loads, and each spins in
/// `sched_yield` waiting for work (measured here: 6% of a core through a whole MD run that never
/// calls BLAS). On two cores that takes time from the engine's own threads. Crucible calls BLAS
/// single-threaded, from the fits and from the ML potential's network (one call per fixed block of
/// atoms, on the engine's worker threads), so the command line stops those threads at start-up
/// and `MLPotential` keeps OpenBLAS at one thread for library users too.
public enum BLASThreads {
    public static func keepCallerThreadOnly() {
        openblas_set_num_threads(1)
        _ = blas_thread_shutdown_()
    }
}
