#include "core/rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void pr_rng_seed(pr_rng *rng, uint64_t seed)
{
    uint64_t state = seed;
    for (int i = 0; i < 4; i++)
        rng->s[i] = splitmix64(&state);
}

uint64_t pr_rng_u64(pr_rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t pr_rng_below(pr_rng *rng, uint64_t n)
{
    if (n == 0)
        return 0;
    /* Rejection sampling: drop the top partial block so every residue is equally likely. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do {
        x = pr_rng_u64(rng);
    } while (x >= limit);
    return x % n;
}

double pr_rng_uniform(pr_rng *rng) { return (double)(pr_rng_u64(rng) >> 11) * 0x1.0p-53; }

double pr_rng_normal(pr_rng *rng)
{
    double u1 = pr_rng_uniform(rng);
    double u2 = pr_rng_uniform(rng);
    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

void pr_rng_shuffle_int(pr_rng *rng, int *values, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)pr_rng_below(rng, (uint64_t)i + 1);
        int t = values[i];
        values[i] = values[j];
        values[j] = t;
    }
}
