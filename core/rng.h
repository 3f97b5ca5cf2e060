/* Seeded pseudo-random numbers: xoshiro256** seeded through splitmix64. Integer arithmetic only, so
 * the same seed gives the same stream on every machine and compiler. All randomness in personrec
 * comes from a pr_rng passed in by the caller. */
#ifndef PR_CORE_RNG_H
#define PR_CORE_RNG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_rng {
    uint64_t s[4];
} pr_rng;

void pr_rng_seed(pr_rng *rng, uint64_t seed);
uint64_t pr_rng_u64(pr_rng *rng);
/* Uniform in [0, n) without modulo bias; n = 0 returns 0. */
uint64_t pr_rng_below(pr_rng *rng, uint64_t n);
/* Uniform double in [0, 1) with 53 random bits. */
double pr_rng_uniform(pr_rng *rng);
/* Standard normal (Box-Muller on pr_rng_uniform; libm's log/cos/sqrt are correctly rounded
 * enough for tests, not bit-portable across libms). */
double pr_rng_normal(pr_rng *rng);
/* Fisher-Yates shuffle of n ints. */
void pr_rng_shuffle_int(pr_rng *rng, int *values, int n);

#ifdef __cplusplus
}
#endif
#endif
