/* Felzenszwalb–Huttenlocher: hand-computed tiny images, the invariants (canonical, connected,
 * min_size), determinism, parameter checks, allocation failures, and bit-exact agreement with a
 * plain independent implementation of the header's rules (2-D clamped smoothing, qsort with an
 * index tie-break, union by rank as in the authors' code) on random and structured images. */
#include "segment/felzenszwalb.h"

#include "core/alloc.h"
#include "core/rng.h"
#include "tests/test.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static pr_image *make_grey_rgb(int w, int h, const int *values)
{
    pr_image *img = NULL;
    if (pr_image_new(w, h, 3, &img) != PR_OK)
        return NULL;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < 3; c++)
                pr_image_row(img, y)[x * 3 + c] = (uint8_t)values[y * w + x];
    return img;
}

static pr_labels *seg(const pr_image *img, double sigma, double k, int min_size)
{
    pr_fh_params p = pr_fh_params_default();
    p.sigma = sigma;
    p.k = k;
    p.min_size = min_size;
    pr_labels *l = NULL;
    PR_CHECK_OK(pr_fh_segment(img, &p, &l, NULL));
    return l;
}

static int labels_are(const pr_labels *l, const int *expect)
{
    if (!l)
        return 0;
    for (int i = 0; i < l->width * l->height; i++)
        if (l->data[i] != expect[i])
            return 0;
    return 1;
}

/* ---- an independent plain implementation of the rules ---- */

typedef struct ref_edge {
    float w;
    int a, b;
    long idx;
} ref_edge;

static int ref_cmp(const void *x, const void *y)
{
    const ref_edge *a = x, *b = y;
    if (a->w < b->w)
        return -1;
    if (a->w > b->w)
        return 1;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

typedef struct ref_elt {
    int rank, p, size;
} ref_elt;

static int ref_find(ref_elt *e, int x)
{
    int y = x;
    while (y != e[y].p)
        y = e[y].p;
    e[x].p = y;
    return y;
}

static void ref_join(ref_elt *e, int x, int y)
{
    if (e[x].rank > e[y].rank) {
        e[y].p = x;
        e[x].size += e[y].size;
    } else {
        e[x].p = y;
        e[y].size += e[x].size;
        if (e[x].rank == e[y].rank)
            e[y].rank++;
    }
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int32_t *ref_segment(const pr_image *img, float sigma, float c, int min_size)
{
    const int w = img->width, h = img->height, n = w * h;
    float mask[64];
    sigma = sigma < 0.01f ? 0.01f : sigma;
    int len = (int)ceil(sigma * 4.0) + 1;
    for (int i = 0; i < len; i++) {
        float q = i / sigma;
        mask[i] = (float)exp(-0.5 * (q * q));
    }
    float sum = 0;
    for (int i = 1; i < len; i++)
        sum += fabsf(mask[i]);
    sum = 2 * sum + fabsf(mask[0]);
    for (int i = 0; i < len; i++)
        mask[i] /= sum;
    float *sm[3];
    float *tmp = malloc(sizeof(float) * n), *src = malloc(sizeof(float) * n);
    for (int ch = 0; ch < 3; ch++) {
        sm[ch] = malloc(sizeof(float) * n);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                src[y * w + x] = pr_image_row(img, y)[x * img->channels + (img->channels == 3 ? ch : 0)];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                float s = mask[0] * src[y * w + x];
                for (int i = 1; i < len; i++)
                    s += mask[i] * (src[y * w + clampi(x - i, 0, w - 1)] +
                                    src[y * w + clampi(x + i, 0, w - 1)]);
                tmp[y * w + x] = s;
            }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                float s = mask[0] * tmp[y * w + x];
                for (int i = 1; i < len; i++)
                    s += mask[i] * (tmp[clampi(y - i, 0, h - 1) * w + x] +
                                    tmp[clampi(y + i, 0, h - 1) * w + x]);
                sm[ch][y * w + x] = s;
            }
    }
    ref_edge *edges = malloc(sizeof(ref_edge) * (size_t)(4 * n + 1));
    long m = 0;
    static const int dx[4] = {1, 0, 1, 1}, dy[4] = {0, 1, 1, -1};
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int d = 0; d < 4; d++) {
                int x2 = x + dx[d], y2 = y + dy[d];
                if (x2 >= w || y2 < 0 || y2 >= h)
                    continue;
                int a = y * w + x, b = y2 * w + x2;
                float dr = sm[0][a] - sm[0][b], dg = sm[1][a] - sm[1][b], db = sm[2][a] - sm[2][b];
                edges[m].w = sqrtf(dr * dr + dg * dg + db * db);
                edges[m].a = a;
                edges[m].b = b;
                edges[m].idx = m;
                m++;
            }
    qsort(edges, (size_t)m, sizeof(ref_edge), ref_cmp);
    ref_elt *u = malloc(sizeof(ref_elt) * n);
    float *thr = malloc(sizeof(float) * n);
    for (int i = 0; i < n; i++) {
        u[i].rank = 0;
        u[i].p = i;
        u[i].size = 1;
        thr[i] = c / 1;
    }
    for (long i = 0; i < m; i++) {
        int a = ref_find(u, edges[i].a), b = ref_find(u, edges[i].b);
        if (a != b && edges[i].w <= thr[a] && edges[i].w <= thr[b]) {
            ref_join(u, a, b);
            a = ref_find(u, a);
            thr[a] = edges[i].w + c / u[a].size;
        }
    }
    for (long i = 0; i < m; i++) {
        int a = ref_find(u, edges[i].a), b = ref_find(u, edges[i].b);
        if (a != b && (u[a].size < min_size || u[b].size < min_size))
            ref_join(u, a, b);
    }
    int32_t *lab = malloc(sizeof(int32_t) * n), *map = malloc(sizeof(int32_t) * n);
    for (int i = 0; i < n; i++)
        map[i] = -1;
    int next = 0;
    for (int i = 0; i < n; i++) {
        int r = ref_find(u, i);
        if (map[r] < 0)
            map[r] = next++;
        lab[i] = map[r];
    }
    for (int ch = 0; ch < 3; ch++)
        free(sm[ch]);
    free(tmp);
    free(src);
    free(edges);
    free(u);
    free(thr);
    free(map);
    return lab;
}

/* ---- invariants ---- */

static int is_canonical(const pr_labels *l, int *count)
{
    int next = 0;
    for (int i = 0; i < l->width * l->height; i++) {
        if (l->data[i] > next || l->data[i] < 0)
            return 0;
        if (l->data[i] == next)
            next++;
    }
    *count = next;
    return 1;
}

/* Every label's pixels form one 8-connected region (flood fill from each label's first pixel). */
static int all_connected(const pr_labels *l, int count)
{
    const int w = l->width, h = l->height, n = w * h;
    if (n <= 0 || count <= 0)
        return 0;
    unsigned char *seen = calloc((size_t)n, 1);
    int *stack = malloc(sizeof(int) * (size_t)n);
    int *first = malloc(sizeof(int) * (size_t)count);
    int ok = 1;
    for (int i = 0; i < count; i++)
        first[i] = -1;
    for (int i = 0; i < n; i++)
        if (first[l->data[i]] < 0)
            first[l->data[i]] = i;
    for (int s = 0; s < count; s++) {
        int top = 0;
        stack[top++] = first[s];
        seen[first[s]] = 1;
        while (top) {
            int p = stack[--top], x = p % w, y = p / w;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    int x2 = x + dx, y2 = y + dy;
                    if (x2 < 0 || y2 < 0 || x2 >= w || y2 >= h)
                        continue;
                    int q = y2 * w + x2;
                    if (!seen[q] && l->data[q] == s) {
                        seen[q] = 1;
                        stack[top++] = q;
                    }
                }
        }
    }
    for (int i = 0; i < n; i++)
        if (!seen[i])
            ok = 0;
    free(seen);
    free(stack);
    free(first);
    return ok;
}

static int min_segment_size(const pr_labels *l, int count)
{
    int *sz = calloc((size_t)count, sizeof(int)), mn = 1 << 30;
    for (int i = 0; i < l->width * l->height; i++)
        sz[l->data[i]]++;
    for (int i = 0; i < count; i++)
        mn = sz[i] < mn ? sz[i] : mn;
    free(sz);
    return mn;
}

/* Blocky random image: random colours on a coarse grid plus noise, so there are real segments and
 * many equal weights (ties). */
static pr_image *random_image(pr_rng *rng, int w, int h, int block, int noise)
{
    pr_image *img = NULL;
    if (pr_image_new(w, h, 3, &img) != PR_OK)
        return NULL;
    int bw = (w + block - 1) / block, bh = (h + block - 1) / block;
    uint8_t *pal = malloc((size_t)bw * bh * 3);
    for (int i = 0; i < bw * bh * 3; i++)
        pal[i] = (uint8_t)pr_rng_below(rng, 256);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < 3; c++) {
                int v = pal[((y / block) * bw + x / block) * 3 + c];
                if (noise)
                    v += (int)pr_rng_below(rng, (uint64_t)(2 * noise + 1)) - noise;
                pr_image_row(img, y)[x * 3 + c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
            }
    free(pal);
    return img;
}

static void test_tiny(void)
{
    /* 2x2 grey 0 10 / 20 100, no smoothing. Edges by weight: (0,1) 10v3 and (2,1) 10v3 (a tie,
     * raster order), (0,2) 20v3, (2,3) 80v3, (1,3) 90v3, (0,3) 100v3. With k = 20 pixel 3 stays
     * apart (80v3 = 138.6 > 10v3 + 20/3); with k = 500 the threshold 10v3 + 500/3 = 184 takes it. */
    const int v22[] = {0, 10, 20, 100};
    pr_image *img = make_grey_rgb(2, 2, v22);
    const int e1[] = {0, 0, 0, 1}, e2[] = {0, 0, 0, 0};
    pr_labels *l = seg(img, 0.0, 20, 0);
    PR_CHECK(labels_are(l, e1));
    pr_labels_delete(l);
    l = seg(img, 0.0, 200, 0);
    PR_CHECK(labels_are(l, e1));
    pr_labels_delete(l);
    l = seg(img, 0.0, 500, 0);
    PR_CHECK(labels_are(l, e2));
    pr_labels_delete(l);
    /* min_size 2 pulls the lone pixel in. */
    l = seg(img, 0.0, 20, 2);
    PR_CHECK(labels_are(l, e2));
    pr_labels_delete(l);

    /* The stages on the same image: edge count, slots, weights and the sorted order. */
    PR_CHECK_EQ_INT(pr_fh_edge_count(2, 2), 6);
    float planes[12];
    PR_CHECK_OK(pr_fh_smooth(img, 0.0, planes));
    PR_CHECK_NEAR(planes[3], 100.0, 0.0);
    uint64_t edges[6];
    pr_fh_build_edges(planes, 2, 2, edges);
    const uint32_t slots[6] = {0, 1, 2, 5, 8, 11};
    for (int i = 0; i < 6; i++)
        PR_CHECK_EQ_INT((uint32_t)edges[i], slots[i]);
    PR_CHECK_NEAR(pr_fh_edge_weight(edges[0]), sqrtf(300.0f), 1e-4);
    PR_CHECK_OK(pr_fh_sort_edges(edges, 6, NULL));
    const uint32_t sorted_slots[6] = {0, 11, 1, 8, 5, 2};
    for (int i = 0; i < 6; i++)
        PR_CHECK_EQ_INT((uint32_t)edges[i], sorted_slots[i]);
    int32_t a, b;
    pr_fh_edge_endpoints(edges[1], 2, &a, &b);
    PR_CHECK_EQ_INT(a, 2);
    PR_CHECK_EQ_INT(b, 1);
    pr_image_delete(img);

    /* 3x1: 0 0 255. 255v3 = 441.7 > 0 + 300/2, so two segments at k 300; at k 1000, one. */
    const int v31[] = {0, 0, 255};
    img = make_grey_rgb(3, 1, v31);
    const int f1[] = {0, 0, 1}, f2[] = {0, 0, 0};
    l = seg(img, 0.0, 300, 0);
    PR_CHECK(labels_are(l, f1));
    pr_labels_delete(l);
    l = seg(img, 0.0, 1000, 0);
    PR_CHECK(labels_are(l, f2));
    pr_labels_delete(l);
    l = seg(img, 0.0, 300, 3);
    PR_CHECK(labels_are(l, f2));
    pr_labels_delete(l);
    pr_image_delete(img);

    /* 1x1 and one colour: one segment. */
    const int v11[] = {77};
    img = make_grey_rgb(1, 1, v11);
    l = seg(img, 0.8, 300, 20);
    PR_CHECK(l && l->data[0] == 0);
    pr_labels_delete(l);
    pr_image_delete(img);
    int flat[40 * 30];
    for (int i = 0; i < 40 * 30; i++)
        flat[i] = 123;
    img = make_grey_rgb(40, 30, flat);
    pr_fh_stats st;
    pr_fh_params p = pr_fh_params_default();
    PR_CHECK_OK(pr_fh_segment(img, &p, &l, &st));
    PR_CHECK_EQ_INT(st.segments, 1);
    PR_CHECK_EQ_INT(st.edges, pr_fh_edge_count(40, 30));
    pr_labels_delete(l);
    pr_image_delete(img);

    /* Two colours, left red and right blue: distance 255v2 = 360.6 > k 300, two segments. */
    pr_image *two = NULL;
    PR_CHECK_OK(pr_image_new(8, 4, 3, &two));
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 8; x++)
            pr_image_row(two, y)[x * 3 + (x < 4 ? 0 : 2)] = 255;
    l = seg(two, 0.0, 300, 0);
    int e_two[32];
    for (int i = 0; i < 32; i++)
        e_two[i] = (i % 8) < 4 ? 0 : 1;
    PR_CHECK(labels_are(l, e_two));
    pr_labels_delete(l);
    pr_image_delete(two);

    /* A gradient: all weights equal (8v3 = 13.9). Once w <= k a grown component always takes the
     * next pixel (w <= w + k/|C|), so it is one segment however long (the method's gradient
     * behaviour); with k below w every pixel stays alone. */
    int grad[32];
    for (int i = 0; i < 32; i++)
        grad[i] = i * 8;
    img = make_grey_rgb(32, 1, grad);
    l = seg(img, 0.0, 20, 0);
    int ones[32] = {0}, each[32];
    PR_CHECK(labels_are(l, ones));
    pr_labels_delete(l);
    for (int i = 0; i < 32; i++)
        each[i] = i;
    l = seg(img, 0.0, 10, 0);
    PR_CHECK(labels_are(l, each));
    pr_labels_delete(l);
    pr_image_delete(img);
}

static void test_params(void)
{
    pr_fh_params p = pr_fh_params_default();
    PR_CHECK_NEAR(p.sigma, 0.8, 0);
    PR_CHECK_NEAR(p.k, 300, 0);
    PR_CHECK_EQ_INT(p.min_size, 20);
    PR_CHECK_OK(pr_fh_params_check(&p));
    pr_image *img = NULL;
    PR_CHECK_OK(pr_image_new(4, 4, 3, &img));
    pr_labels *l = NULL;
    p.sigma = -0.1;
    PR_CHECK_EQ_INT(pr_fh_segment(img, &p, &l, NULL), PR_ERR_ARG);
    PR_CHECK(l == NULL);
    p = pr_fh_params_default();
    p.k = 0;
    PR_CHECK_EQ_INT(pr_fh_segment(img, &p, &l, NULL), PR_ERR_ARG);
    p.k = -5;
    PR_CHECK_EQ_INT(pr_fh_segment(img, &p, &l, NULL), PR_ERR_ARG);
    p.k = NAN;
    PR_CHECK_EQ_INT(pr_fh_params_check(&p), PR_ERR_ARG);
    p = pr_fh_params_default();
    p.min_size = -1;
    PR_CHECK_EQ_INT(pr_fh_segment(img, &p, &l, NULL), PR_ERR_ARG);
    PR_CHECK(strstr(pr_last_error(), "min_size") != NULL);
    p = pr_fh_params_default();
    PR_CHECK_EQ_INT(pr_fh_segment(NULL, &p, &l, NULL), PR_ERR_ARG);
    PR_CHECK_EQ_INT(pr_fh_segment(img, &p, NULL, NULL), PR_ERR_ARG);
    pr_image_delete(img);
}

static void test_against_reference(void)
{
    pr_rng rng;
    pr_rng_seed(&rng, 4);
    const struct {
        int w, h, block, noise;
        double sigma, k;
        int min_size;
    } cases[] = {
        {37, 23, 5, 12, 0.8, 300, 20}, {64, 48, 8, 30, 0.5, 150, 10}, {50, 50, 3, 0, 0.8, 300, 20},
        {1, 40, 4, 20, 0.8, 100, 5},   {40, 1, 4, 20, 0.8, 100, 5},   {81, 33, 1, 0, 1.5, 500, 50},
        {100, 70, 10, 40, 0.0, 50, 0}, {29, 31, 6, 25, 3.0, 1000, 100}, {300, 200, 12, 20, 0.8, 300, 20},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        pr_image *img = random_image(&rng, cases[c].w, cases[c].h, cases[c].block, cases[c].noise);
        pr_labels *l = seg(img, cases[c].sigma, cases[c].k, cases[c].min_size);
        int32_t *ref = ref_segment(img, (float)cases[c].sigma, (float)cases[c].k, cases[c].min_size);
        int same = l && memcmp(l->data, ref, sizeof(int32_t) * (size_t)(cases[c].w * cases[c].h)) == 0;
        PR_CHECK_MSG(same, "case %zu (%dx%d) differs from the plain reference", c, cases[c].w,
                     cases[c].h);
        int count = 0;
        PR_CHECK(l && is_canonical(l, &count));
        PR_CHECK(l && all_connected(l, count));
        if (count > 1)
            PR_CHECK(min_segment_size(l, count) >= cases[c].min_size);
        /* Same output twice. */
        pr_labels *again = seg(img, cases[c].sigma, cases[c].k, cases[c].min_size);
        PR_CHECK(l && again &&
                 memcmp(l->data, again->data, sizeof(int32_t) * (size_t)(cases[c].w * cases[c].h)) == 0);
        pr_labels_delete(again);
        free(ref);
        pr_labels_delete(l);
        pr_image_delete(img);
    }
}

/* The public stages chained by hand give what pr_fh_segment gives (the CUDA engineer's contract). */
static void test_stages(void)
{
    pr_rng rng;
    pr_rng_seed(&rng, 7);
    pr_image *img = random_image(&rng, 123, 77, 7, 15);
    const int w = 123, h = 77, n = w * h;
    float *planes = malloc(sizeof(float) * 3 * n);
    size_t m = pr_fh_edge_count(w, h);
    uint64_t *edges = malloc(sizeof(uint64_t) * m);
    pr_fh_node *forest = malloc(sizeof(pr_fh_node) * n);
    PR_CHECK_OK(pr_fh_smooth(img, 0.8, planes));
    pr_fh_build_edges(planes, w, h, edges);
    for (size_t i = 1; i < m; i++)
        PR_CHECK((uint32_t)edges[i] > (uint32_t)edges[i - 1]);
    PR_CHECK_OK(pr_fh_sort_edges(edges, m, NULL));
    int sorted = 1;
    for (size_t i = 1; i < m; i++)
        sorted &= edges[i] > edges[i - 1];
    PR_CHECK(sorted);
    pr_fh_merge(edges, m, w, h, 300, forest);
    PR_CHECK_OK(pr_fh_min_size(edges, m, w, h, 20, forest));
    pr_labels *mine = NULL, *whole = NULL;
    PR_CHECK_OK(pr_labels_new(w, h, &mine));
    int count = 0;
    pr_fh_relabel(forest, mine, &count);
    pr_fh_stats st;
    PR_CHECK_OK(pr_fh_segment(img, NULL, &whole, &st));
    PR_CHECK(mine && whole && memcmp(mine->data, whole->data, sizeof(int32_t) * n) == 0);
    PR_CHECK_EQ_INT(count, st.segments);
    PR_CHECK(count > 1);
    float mask[PR_FH_MAX_MASK];
    int len = 0;
    PR_CHECK_OK(pr_fh_gauss_mask(0.8, mask, &len));
    PR_CHECK_EQ_INT(len, 5);
    float s = mask[0];
    for (int i = 1; i < len; i++)
        s += 2 * mask[i];
    PR_CHECK_NEAR(s, 1.0, 1e-6);
    PR_CHECK_EQ_INT(pr_fh_gauss_mask(16.0, mask, &len), PR_ERR_ARG);
    pr_labels_delete(mine);
    pr_labels_delete(whole);
    free(planes);
    free(edges);
    free(forest);
    pr_image_delete(img);
}

/* Grey input means R = G = B. */
static void test_grey(void)
{
    pr_rng rng;
    pr_rng_seed(&rng, 9);
    pr_image *rgb = random_image(&rng, 40, 30, 5, 10), *grey = NULL, *back = NULL;
    PR_CHECK_OK(pr_image_to_gray(rgb, &grey));
    PR_CHECK_OK(pr_image_to_rgb(grey, &back));
    pr_labels *a = seg(grey, 0.8, 300, 20), *b = seg(back, 0.8, 300, 20);
    PR_CHECK(a && b && memcmp(a->data, b->data, sizeof(int32_t) * 1200) == 0);
    pr_labels_delete(a);
    pr_labels_delete(b);
    pr_image_delete(rgb);
    pr_image_delete(grey);
    pr_image_delete(back);
}

static void test_alloc_failures(void)
{
    pr_rng rng;
    pr_rng_seed(&rng, 11);
    pr_image *img = random_image(&rng, 30, 20, 5, 10);
    int saw_nomem = 0, ok_at = 0;
    for (long n = 1; n < 40 && !ok_at; n++) {
        pr_labels *l = NULL;
        pr_alloc_fail_at(n);
        pr_status s = pr_fh_segment(img, NULL, &l, NULL);
        pr_alloc_fail_at(0);
        if (s == PR_OK) {
            ok_at = (int)n;
            pr_labels_delete(l);
        } else {
            PR_CHECK_EQ_INT(s, PR_ERR_NOMEM);
            PR_CHECK(l == NULL);
            saw_nomem = 1;
        }
    }
    PR_CHECK(saw_nomem);
    PR_CHECK(ok_at > 0);
    pr_image_delete(img);
}

int main(void)
{
    test_tiny();
    test_params();
    test_against_reference();
    test_stages();
    test_grey();
    test_alloc_failures();
    return pr_test_finish();
}
