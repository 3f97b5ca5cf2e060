#include "features/blas.h"

#include <cblas.h>

void pr_blas_set_threads(int threads) { openblas_set_num_threads(threads > 0 ? threads : 1); }
