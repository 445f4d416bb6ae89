#include <cblas.h>
#include <lapacke.h>

/* OpenBLAS (pthreads build) exports this without declaring it: it stops the BLAS server threads. */
int blas_thread_shutdown_(void);
