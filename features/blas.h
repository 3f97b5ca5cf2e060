/* BLAS threading. OpenBLAS runs its own threads inside every call; when our thread pool already
 * runs one photo or one pair per core, those threads fight ours (measured: 11% of a clustering
 * profile in sched_yield). Callers that parallelise above BLAS ask for one BLAS thread. */
#ifndef PR_FEATURES_BLAS_H
#define PR_FEATURES_BLAS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Sets the number of threads OpenBLAS may use inside one call (process-wide). */
void pr_blas_set_threads(int threads);

#ifdef __cplusplus
}
#endif
#endif
