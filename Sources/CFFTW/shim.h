#include <fftw3.h>

// FFTW's planner flags are macros Swift cannot import.
static inline unsigned crucible_fftw_estimate_unaligned(void) { return FFTW_ESTIMATE | FFTW_UNALIGNED; }
