/* Average linkage on a calibrated score: a known partition on a small synthetic album (strangers
 * stay singletons), the same-photo cannot-link holds even against a strong score, linkage is the
 * average (not single or complete), ties go to the lower index, the threshold stops merging, and
 * the result does not change between runs. */
#include "cluster/agglomerative.h"
#include "tests/test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAXN 16

static float S[MAXN * MAXN];

static void fill(int n, const int *who, float same, float diff)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            S[i * n + j] = who[i] == who[j] ? same : diff;
}

static void set(int n, int i, int j, float v)
{
    S[i * n + j] = S[j * n + i] = v;
}

static int same_partition(const int *a, const int *b, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            if ((a[i] == a[j]) != (b[i] == b[j]))
                return 0;
    return 1;
}

static void check_partition(void)
{
    /* A: 0,1,2; B: 3,4; C: 5; strangers 6, 7 (who -1, -2 differ from all). */
    int who[] = {0, 0, 0, 1, 1, 2, -1, -2};
    int32_t group[] = {0, 1, 2, 0, 1, 3, 4, 5};
    const int n = 8;
    fill(n, who, 4.0f, -6.0f);
    set(n, 6, 0, -0.5f); /* a stranger that only nearly matches A */
    int labels[8], k = 0, again[8], k2 = 0;
    pr_agglomerative_params p = pr_agglomerative_params_default();
    PR_CHECK_OK(pr_agglomerate(S, n, group, &p, labels, &k));
    int want[] = {0, 0, 0, 1, 1, 2, 3, 4};
    PR_CHECK_EQ_INT(k, 5);
    for (int i = 0; i < n; i++)
        PR_CHECK_EQ_INT(labels[i], want[i]);
    PR_CHECK_OK(pr_agglomerate(S, n, group, &p, again, &k2));
    PR_CHECK(k2 == k && memcmp(labels, again, sizeof labels) == 0);
    /* A high threshold keeps everyone apart; NaN is "no evidence" (0), not a merge. */
    p.threshold = 5.0;
    PR_CHECK_OK(pr_agglomerate(S, n, group, &p, labels, &k));
    PR_CHECK_EQ_INT(k, n);
    p.threshold = 0.0;
    fill(n, who, NAN, NAN);
    PR_CHECK_OK(pr_agglomerate(S, n, group, &p, labels, &k));
    PR_CHECK_EQ_INT(k, n);
}

static void check_cannot_link(void)
{
    /* Faces 0 and 1 share photo 0 and look alike (+9); 2 matches both. */
    int32_t group[] = {0, 0, 1, 2};
    const int n = 4;
    int who[] = {0, 0, 0, 1};
    fill(n, who, 3.0f, -5.0f);
    set(n, 0, 1, 9.0f);
    set(n, 1, 2, 3.5f);
    int labels[4], k = 0;
    pr_agglomerative_params p = pr_agglomerative_params_default();
    PR_CHECK_OK(pr_agglomerate(S, n, group, &p, labels, &k));
    PR_CHECK(labels[0] != labels[1]);
    PR_CHECK(labels[1] == labels[2]); /* 2 goes to its better match */
    PR_CHECK_EQ_INT(k, 3);
    p.constraint = 0;
    PR_CHECK_OK(pr_agglomerate(S, n, group, &p, labels, &k));
    PR_CHECK(labels[0] == labels[1] && labels[1] == labels[2]);
    PR_CHECK_EQ_INT(k, 2);
}

static void check_average_and_ties(void)
{
    /* {0,1} merge first (+8). 2 scores +3 to 0: it joins only when the average over {0,1} is
     * above 0 (single linkage would always join, complete linkage never). */
    const int n = 3;
    int who[] = {0, 0, 1};
    int32_t group[] = {0, 1, 2};
    int labels[3], k = 0;
    pr_agglomerative_params p = pr_agglomerative_params_default();
    p.support = 0; /* the plain average (the guard is checked below) */
    fill(n, who, 8.0f, 3.0f);
    set(n, 1, 2, -4.0f);
    PR_CHECK_OK(pr_agglomerate(S, n, group, &p, labels, &k));
    PR_CHECK_EQ_INT(k, 2); /* (3 - 4) / 2 < 0 */
    set(n, 1, 2, -2.0f);
    PR_CHECK_OK(pr_agglomerate(S, n, group, &p, labels, &k));
    PR_CHECK_EQ_INT(k, 1); /* (3 - 2) / 2 > 0 */
    /* Ties: 0 matches 1 and 2 equally, 1 and 2 share a photo: 0 joins 1 (the lower index). */
    int32_t tie_group[] = {0, 1, 1};
    int who2[] = {0, 1, 2};
    fill(n, who2, 0.0f, 2.0f);
    set(n, 1, 2, 2.0f);
    PR_CHECK_OK(pr_agglomerate(S, n, tie_group, &p, labels, &k));
    PR_CHECK(labels[0] == labels[1] && labels[2] != labels[0]);
    PR_CHECK(pr_agglomerate(S, 0, NULL, &p, labels, &k) == PR_ERR_ARG);
}

/* The support guard: a merge needs more than half of its cross pairs above the threshold, so a
 * bridging face cannot join two groups; the refused pair stays apart and the next merge is
 * taken. The singles' minimum (stranger model) gates merges of two single faces only. */
static void check_guards(void)
{
    /* A = {0,1} (+8) and B = {2,3} (+8) form first; 1-2 is a strong bridge (+7), the other A-B
     * pairs -2: average (7 - 6) / 4 = 0.25 > 0, but 1 of 4 pairs. */
    const int n = 4;
    int who[] = {0, 0, 1, 1};
    int32_t group[] = {0, 1, 2, 3};
    int labels[4], k = 0;
    fill(n, who, 8.0f, -2.0f);
    set(n, 1, 2, 7.0f);
    pr_agglomerative_params p = pr_agglomerative_params_default();
    PR_CHECK(p.support == 1 && p.single_min == NULL);
    p.support = 0; /* without the guard the bridge joins the two groups */
    PR_CHECK_OK(pr_agglomerate(S, n, group, &p, labels, &k));
    PR_CHECK_EQ_INT(k, 1);
    p.support = 1;
    PR_CHECK_OK(pr_agglomerate(S, n, group, &p, labels, &k));
    PR_CHECK_EQ_INT(k, 2);
    PR_CHECK(labels[0] == labels[1] && labels[2] == labels[3] && labels[0] != labels[2]);
    /* Three of four pairs positive: the guard lets it through. */
    set(n, 0, 2, 1.0f);
    set(n, 1, 3, 1.0f);
    PR_CHECK_OK(pr_agglomerate(S, n, group, &p, labels, &k));
    PR_CHECK_EQ_INT(k, 1);
    /* Singles' minimum: 0-1 at +2 merge only when both minima are below 2. */
    const int m = 3;
    int who3[] = {0, 0, 1};
    fill(m, who3, 2.0f, -5.0f);
    float lo[] = {1.0f, 1.5f, 1.0f}, hi[] = {1.0f, 2.5f, 1.0f};
    p.single_min = lo;
    PR_CHECK_OK(pr_agglomerate(S, m, group, &p, labels, &k));
    PR_CHECK_EQ_INT(k, 2);
    p.single_min = hi;
    PR_CHECK_OK(pr_agglomerate(S, m, group, &p, labels, &k));
    PR_CHECK_EQ_INT(k, 3);
}

/* A larger random case: the result is a partition honouring the constraint, and identical on a
 * second run. */
static void check_random(void)
{
    const int n = MAXN;
    int32_t group[MAXN];
    unsigned seed = 12345;
    for (int i = 0; i < n; i++)
        group[i] = i / 3;
    for (int i = 0; i < n; i++)
        for (int j = i; j < n; j++) {
            seed = seed * 1103515245u + 12345u;
            set(n, i, j, (float)((seed >> 16) % 2001) / 100.0f - 10.0f);
        }
    int a[MAXN], b[MAXN], ka = 0, kb = 0;
    PR_CHECK_OK(pr_agglomerate(S, n, group, NULL, a, &ka));
    PR_CHECK_OK(pr_agglomerate(S, n, group, NULL, b, &kb));
    PR_CHECK(ka == kb && same_partition(a, b, n));
    for (int i = 0; i < n; i++) {
        PR_CHECK(a[i] >= 0 && a[i] < ka);
        for (int j = i + 1; j < n; j++)
            PR_CHECK(group[i] != group[j] || a[i] != a[j]);
    }
    PR_CHECK(ka < n); /* some pair scores far above 0 */
}

int main(void)
{
    check_partition();
    check_cannot_link();
    check_guards();
    check_average_and_ties();
    check_random();
    return pr_test_finish();
}
