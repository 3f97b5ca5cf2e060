/* pr_agglomerate_extend (incremental labelling) on hand-made scores: fixed clusters never merge
 * with each other however strong their link, a free face joins the fixed cluster it matches or
 * starts a new one (alone or with other free faces), the same-photo cannot-link and the support
 * guard hold as in pr_agglomerate, the singles' minimum sees a one-face fixed cluster as that face,
 * no fixed cluster equals pr_agglomerate exactly, and random cases agree with a plain reference
 * (average linkage recomputed from the face pairs at every step). */
#include "cluster/agglomerative.h"
#include "tests/test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAXF 24 /* fixed faces */
#define MAXQ 12 /* free faces */

static float CROSS[MAXQ * MAXF], FREE[MAXQ * MAXQ];

static void set_free(int q, int f, int h, float v) { FREE[f * q + h] = FREE[h * q + f] = v; }

/* Two people A = {0,1,2} and B = {3,4} fixed; free faces: 0 is A (+4 to A), 1 is nobody
 * (-3 to all), 2 and 3 are a new person together (+5), 4 looks like A but shares a photo with
 * A's face 0. A and B link at +9 through free face 0's neighbours: they must still stay apart. */
static void check_basic(void)
{
    const int nf = 5, m = 2, q = 5;
    int fixed_label[] = {0, 0, 0, 1, 1};
    int32_t fixed_group[] = {10, 11, 12, 13, 14};
    int32_t free_group[] = {20, 21, 22, 23, 10};
    for (int f = 0; f < q; f++)
        for (int i = 0; i < nf; i++)
            CROSS[f * nf + i] = -3.0f;
    for (int i = 0; i < 3; i++) {
        CROSS[0 * nf + i] = 4.0f;
        CROSS[4 * nf + i] = 6.0f;
    }
    /* Free face 0 also scores +3.5 to B: a single-linkage chain A - 0 - B. */
    CROSS[0 * nf + 3] = CROSS[0 * nf + 4] = 3.5f;
    for (int f = 0; f < q; f++)
        for (int h = 0; h < q; h++)
            FREE[f * q + h] = -3.0f;
    set_free(q, 2, 3, 5.0f);
    int labels[5], k = 0;
    pr_agglomerative_params p = pr_agglomerative_params_default();
    PR_CHECK_OK(pr_agglomerate_extend(CROSS, FREE, q, fixed_label, fixed_group, nf, m, free_group,
                                      &p, labels, &k));
    PR_CHECK_EQ_INT(labels[0], 0);              /* joins A (its best), never bridges to B */
    PR_CHECK_EQ_INT(labels[1], 2);              /* nobody: the first new cluster */
    PR_CHECK(labels[2] == 3 && labels[3] == 3); /* a new person of two faces */
    PR_CHECK(labels[4] != 0);                   /* cannot-link with A's face 0 */
    PR_CHECK_EQ_INT(labels[4], 4);
    PR_CHECK_EQ_INT(k, 5);
    /* Without the cannot-link free face 4 joins A (+6). */
    p.constraint = 0;
    PR_CHECK_OK(pr_agglomerate_extend(CROSS, FREE, q, fixed_label, fixed_group, nf, m, free_group,
                                      &p, labels, &k));
    PR_CHECK_EQ_INT(labels[4], 0);
    PR_CHECK_EQ_INT(k, 4);
    /* Nothing to place: k = m, no labels needed. */
    PR_CHECK_OK(
        pr_agglomerate_extend(CROSS, FREE, 0, fixed_label, fixed_group, nf, m, NULL, &p, NULL, &k));
    PR_CHECK_EQ_INT(k, m);
    /* A fixed label outside [0, m) is refused. */
    int bad[] = {0, 0, 0, 1, 2};
    PR_CHECK(pr_agglomerate_extend(CROSS, FREE, q, bad, fixed_group, nf, m, free_group, &p, labels,
                                   &k) == PR_ERR_ARG);
}

/* Two fixed clusters with +9 between every pair of their faces stay apart, and a free face that
 * matches both joins only one of them (the better). */
static void check_fixed_never_merge(void)
{
    const int nf = 4, m = 2, q = 1;
    int fixed_label[] = {0, 0, 1, 1};
    CROSS[0] = CROSS[1] = 5.0f;
    CROSS[2] = CROSS[3] = 6.0f;
    int labels[1], k = 0;
    PR_CHECK_OK(
        pr_agglomerate_extend(CROSS, NULL, q, fixed_label, NULL, nf, m, NULL, NULL, labels, &k));
    PR_CHECK_EQ_INT(labels[0], 1);
    PR_CHECK_EQ_INT(k, 2);
}

/* The support guard: free face 0 has mean +0.25 to A = {0,1,2,3} but one pair of four above 0:
 * refused with the guard (a new person), taken without it. With three of four it joins. */
static void check_support(void)
{
    const int nf = 4, m = 1, q = 1;
    int fixed_label[] = {0, 0, 0, 0};
    float row[] = {7.0f, -2.0f, -2.0f, -2.0f};
    memcpy(CROSS, row, sizeof row);
    int labels[1], k = 0;
    pr_agglomerative_params p = pr_agglomerative_params_default();
    PR_CHECK_OK(
        pr_agglomerate_extend(CROSS, NULL, q, fixed_label, NULL, nf, m, NULL, &p, labels, &k));
    PR_CHECK_EQ_INT(labels[0], 1);
    p.support = 0;
    PR_CHECK_OK(
        pr_agglomerate_extend(CROSS, NULL, q, fixed_label, NULL, nf, m, NULL, &p, labels, &k));
    PR_CHECK_EQ_INT(labels[0], 0);
    p.support = 1;
    float row3[] = {1.0f, 1.0f, 1.0f, -2.0f};
    memcpy(CROSS, row3, sizeof row3);
    PR_CHECK_OK(
        pr_agglomerate_extend(CROSS, NULL, q, fixed_label, NULL, nf, m, NULL, &p, labels, &k));
    PR_CHECK_EQ_INT(labels[0], 0);
    /* NaN is no evidence: not support, and 0 in the mean. */
    float rown[] = {3.0f, NAN, NAN, -0.5f};
    memcpy(CROSS, rown, sizeof rown);
    PR_CHECK_OK(
        pr_agglomerate_extend(CROSS, NULL, q, fixed_label, NULL, nf, m, NULL, &p, labels, &k));
    PR_CHECK_EQ_INT(labels[0], 1);
}

/* Singles' minimum: fixed cluster 0 is one face (minimum 2.5), fixed cluster 1 two faces. A free
 * face at +2 to the single one is gated; at +2 to the pair it is not (not two single faces). */
static void check_singles(void)
{
    const int nf = 3, m = 2, q = 1;
    int fixed_label[] = {0, 1, 1};
    float mins[] = {2.5f, 2.5f, 2.5f, 1.0f};
    pr_agglomerative_params p = pr_agglomerative_params_default();
    p.single_min = mins;
    int labels[1], k = 0;
    float to_single[] = {2.0f, -5.0f, -5.0f};
    memcpy(CROSS, to_single, sizeof to_single);
    PR_CHECK_OK(
        pr_agglomerate_extend(CROSS, NULL, q, fixed_label, NULL, nf, m, NULL, &p, labels, &k));
    PR_CHECK_EQ_INT(labels[0], 2);
    mins[0] = 1.5f;
    PR_CHECK_OK(
        pr_agglomerate_extend(CROSS, NULL, q, fixed_label, NULL, nf, m, NULL, &p, labels, &k));
    PR_CHECK_EQ_INT(labels[0], 0);
    float to_pair[] = {-5.0f, 2.0f, 2.0f};
    memcpy(CROSS, to_pair, sizeof to_pair);
    PR_CHECK_OK(
        pr_agglomerate_extend(CROSS, NULL, q, fixed_label, NULL, nf, m, NULL, &p, labels, &k));
    PR_CHECK_EQ_INT(labels[0], 1);
}

static unsigned rng = 2468;
static float draw(void)
{
    rng = rng * 1103515245u + 12345u;
    unsigned a = rng >> 8;
    rng = rng * 1103515245u + 12345u;
    return (float)(((double)a + (double)(rng >> 20) / 4096.0) / (double)(1u << 24) * 16.0 - 8.0);
}

/* Without fixed clusters, extend is pr_agglomerate on the free faces, label for label. */
static void check_same_as_full(void)
{
    const int q = MAXQ;
    int32_t group[MAXQ];
    for (int f = 0; f < q; f++)
        group[f] = f / 3;
    for (int f = 0; f < q; f++)
        for (int h = f; h < q; h++)
            set_free(q, f, h, draw());
    for (int support = 0; support <= 1; support++) {
        pr_agglomerative_params p = pr_agglomerative_params_default();
        p.support = support;
        int a[MAXQ], b[MAXQ], ka = 0, kb = 0;
        PR_CHECK_OK(pr_agglomerate(FREE, q, group, &p, a, &ka));
        PR_CHECK_OK(pr_agglomerate_extend(NULL, FREE, q, NULL, NULL, 0, 0, group, &p, b, &kb));
        PR_CHECK_EQ_INT(ka, kb);
        PR_CHECK(memcmp(a, b, sizeof a) == 0);
        PR_CHECK(ka < q);
    }
}

/* The plain reference: units 0..m-1 fixed, m.. free faces; every step recomputes each pair's
 * average from the face scores; merges of two units holding fixed faces, pairs sharing a photo
 * and refused pairs (for good) are out; ties go to the lower pair. */
static int ref_nf, ref_m, ref_q;
static const int *ref_label;
static const int32_t *ref_fg, *ref_qg;
static float ref_pair(int x, int y) /* faces: < nf fixed, else free x - nf */
{
    if (x > y) {
        int t = x;
        x = y;
        y = t;
    }
    float v =
        x < ref_nf ? CROSS[(y - ref_nf) * ref_nf + x] : FREE[(x - ref_nf) * ref_q + (y - ref_nf)];
    return isnan(v) ? 0.0f : v;
}
static int32_t ref_group(int x) { return x < ref_nf ? ref_fg[x] : ref_qg[x - ref_nf]; }

static void reference(int support, int *labels)
{
    int nf = ref_nf, m = ref_m, q = ref_q, u = m + q, faces = nf + q;
    int unit[MAXF + MAXQ];
    char fixed[MAXQ + MAXF], never[(MAXQ + MAXF) * (MAXQ + MAXF)];
    memset(never, 0, sizeof never);
    for (int x = 0; x < nf; x++)
        unit[x] = ref_label[x];
    for (int f = 0; f < q; f++)
        unit[nf + f] = m + f;
    for (int a = 0; a < u; a++)
        fixed[a] = a < m;
    for (;;) {
        double best = 0;
        int ba = -1, bb = -1;
        for (int a = 0; a < u; a++)
            for (int b = a + 1; b < u; b++) {
                if (never[a * u + b] || (fixed[a] && fixed[b]))
                    continue;
                double s = 0;
                int cnt = 0, blocked = 0;
                for (int x = 0; x < faces; x++)
                    for (int y = 0; y < faces; y++)
                        if (unit[x] == a && unit[y] == b) {
                            s += ref_pair(x, y);
                            cnt++;
                            blocked |= ref_group(x) == ref_group(y);
                        }
                if (!cnt || blocked)
                    continue;
                if (s / cnt > best) {
                    best = s / cnt;
                    ba = a;
                    bb = b;
                }
            }
        if (ba < 0)
            break;
        int pos = 0, all = 0;
        for (int x = 0; x < faces; x++)
            for (int y = 0; y < faces; y++)
                if (unit[x] == ba && unit[y] == bb) {
                    pos += ref_pair(x, y) > 0;
                    all++;
                }
        if (support && !(2 * pos > all)) {
            never[ba * u + bb] = 1;
            continue;
        }
        for (int x = 0; x < faces; x++)
            if (unit[x] == bb)
                unit[x] = ba;
        fixed[ba] |= fixed[bb];
        for (int c = 0; c < u; c++) {
            int lo = c < ba ? c : ba, hi = c < ba ? ba : c;
            int lo2 = c < bb ? c : bb, hi2 = c < bb ? bb : c;
            never[lo * u + hi] |= never[lo2 * u + hi2];
        }
    }
    int id[MAXQ + MAXF];
    for (int a = 0; a < u; a++)
        id[a] = a < m ? a : -1;
    int count = m;
    for (int f = 0; f < q; f++) {
        int r = unit[nf + f];
        if (id[r] < 0)
            id[r] = count++;
        labels[f] = id[r];
    }
}

static void check_random_reference(void)
{
    for (int round = 0; round < 20; round++) {
        const int nf = MAXF, m = 6, q = MAXQ;
        int fixed_label[MAXF];
        int32_t fg[MAXF], qg[MAXQ];
        for (int x = 0; x < nf; x++) { /* clusters of unequal sizes (1 to 8 faces) */
            fixed_label[x] = x < m ? x : (x * 7 + round) % (m - 1);
            fg[x] = x / 2;
        }
        for (int f = 0; f < q; f++)
            qg[f] = (round % 3 == 0 && f < 4) ? f / 2 : 100 + f / 3; /* some share old photos */
        /* Each fixed cluster has a mean level, free faces lean towards one of them. */
        for (int f = 0; f < q; f++)
            for (int x = 0; x < nf; x++)
                CROSS[f * nf + x] = (f * 5 + x + round) % 17 == 0 /* some: no evidence */
                                        ? NAN
                                        : draw() / 2 + (fixed_label[x] == (f * 7 + round) % m
                                                            ? 3.0f
                                                            : -1.0f);
        for (int f = 0; f < q; f++)
            for (int h = f; h < q; h++)
                set_free(q, f, h, draw() / 2 + ((f + h) % 3 == 0 ? 2.0f : -1.0f));
        ref_nf = nf;
        ref_m = m;
        ref_q = q;
        ref_label = fixed_label;
        ref_fg = fg;
        ref_qg = qg;
        for (int support = 0; support <= 1; support++) {
            pr_agglomerative_params p = pr_agglomerative_params_default();
            p.support = support;
            int got[MAXQ], want[MAXQ], k = 0;
            PR_CHECK_OK(
                pr_agglomerate_extend(CROSS, FREE, q, fixed_label, fg, nf, m, qg, &p, got, &k));
            reference(support, want);
            PR_CHECK_MSG(memcmp(got, want, sizeof got) == 0, "round %d support %d", round, support);
            for (int f = 0; f < q; f++) {
                PR_CHECK(got[f] >= 0 && got[f] < k);
                for (int x = 0; x < nf; x++) /* the cannot-link */
                    PR_CHECK(got[f] != fixed_label[x] || fg[x] != qg[f]);
            }
        }
    }
}

int main(void)
{
    check_basic();
    check_fixed_never_merge();
    check_support();
    check_singles();
    check_same_as_full();
    check_random_reference();
    return pr_test_finish();
}
