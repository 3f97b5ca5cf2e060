/* Eigenface 1-NN evaluation (eval/eigenface_eval.h). Training rows come first in the row matrix
 * (file order), then the test rows, so the training set is one block for the PCA. */
#include "eval/eigenface_eval.h"

#include "core/alloc.h"
#include "core/image.h"
#include "core/json.h"
#include "features/eigenfaces.h"

#include <string.h>
#include <time.h>

pr_eigenface_eval_params pr_eigenface_eval_params_default(void)
{
    pr_eigenface_eval_params p;
    memset(&p, 0, sizeof p);
    p.train_per_person = 5;
    p.distance = "l2";
    p.width = p.height = 64;
    return p;
}

pr_status pr_eigenface_eval_params_check(const pr_eigenface_eval_params *p)
{
    if (p->train_per_person < 1 || p->components < 0 || p->skip < 0 || p->width < 8 ||
        p->width > 512 || p->height < 8 || p->height > 512)
        return pr_set_error(PR_ERR_ARG, "option out of range");
    if (strcmp(p->distance, "l2") != 0 && strcmp(p->distance, "cos") != 0 &&
        strcmp(p->distance, "wcos") != 0)
        return pr_set_error(PR_ERR_ARG, "--distance must be l2, cos or wcos");
    return PR_OK;
}

typedef struct sample {
    char *path;
    int person;
    int train;
} sample;

typedef struct set {
    sample *samples;
    int n, cap;
    char **names;
    int n_names;
} set;

static void set_free(set *s)
{
    for (int i = 0; i < s->n; i++)
        pr_free(s->samples[i].path);
    pr_free(s->samples);
    for (int i = 0; i < s->n_names; i++)
        pr_free(s->names[i]);
    pr_free(s->names);
}

static int person_id(set *s, const char *name)
{
    for (int i = 0; i < s->n_names; i++)
        if (strcmp(s->names[i], name) == 0)
            return i;
    char **nn = (char **)pr_realloc(s->names, sizeof(char *) * (size_t)(s->n_names + 1));
    if (!nn)
        return -1;
    s->names = nn;
    nn[s->n_names] = pr_strdup(name);
    if (!nn[s->n_names])
        return -1;
    return s->n_names++;
}

/* Appends the sample `dir + path` of person. */
static pr_status add_sample(set *s, const char *file, size_t dirlen, const char *path,
                            const char *person)
{
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 256;
        sample *ns = (sample *)pr_realloc(s->samples, sizeof(sample) * (size_t)cap);
        if (!ns)
            return pr_set_error(PR_ERR_NOMEM, "eval eigenfaces: out of memory");
        s->samples = ns;
        s->cap = cap;
    }
    sample *sm = &s->samples[s->n];
    size_t len = dirlen + strlen(path) + 1;
    sm->path = (char *)pr_malloc(len);
    sm->person = person_id(s, person);
    if (!sm->path || sm->person < 0) {
        pr_free(sm->path);
        return pr_set_error(PR_ERR_NOMEM, "eval eigenfaces: out of memory");
    }
    snprintf(sm->path, len, "%.*s%s", (int)dirlen, file, path);
    s->n++;
    return PR_OK;
}

/* Reads `path,person` lines into s. */
static pr_status read_labels(const char *file, set *s)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return pr_set_error(PR_ERR_IO, "%s: cannot open", file);
    const char *slash = strrchr(file, '/');
    size_t dirlen = slash ? (size_t)(slash - file + 1) : 0;
    char line[4096];
    int lineno = 0;
    pr_status st = PR_OK;
    while (st == PR_OK && fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#' ||
            (lineno == 1 && (strncmp(line, "path,", 5) == 0 || strncmp(line, "image,", 6) == 0)))
            continue;
        char *comma = strchr(line, ',');
        if (!comma) {
            st = pr_set_error(PR_ERR_FORMAT, "%s:%d: expected path,person", file, lineno);
            break;
        }
        *comma = 0;
        char *person = comma + 1;
        person[strcspn(person, ",")] = 0;
        st = add_sample(s, file, dirlen, line, person);
    }
    fclose(f);
    return st;
}

/* The rows: training samples first, then test samples; person[] follows the same order. */
static pr_status load_rows(const set *s, const pr_eigenfaces_params *p, int ntr, float *rows,
                           int *person)
{
    const int dim = p->width * p->height;
    int itr = 0, ite = ntr;
    for (int i = 0; i < s->n; i++) {
        pr_image *img = NULL;
        const int slot = s->samples[i].train ? itr++ : ite++;
        pr_status st = pr_image_load(s->samples[i].path, NULL, &img, NULL);
        if (st == PR_OK)
            st = pr_eigenfaces_preprocess(img, NULL, p, rows + (size_t)slot * dim);
        pr_image_delete(img);
        if (st != PR_OK)
            return pr_set_error(st, "%s: %s", s->samples[i].path, pr_last_error());
        person[slot] = s->samples[i].person;
    }
    return PR_OK;
}

/* The counts to report: the one asked for, else the sweep up to the model's size and then the
 * model's size itself. */
static int component_counts(int asked, int kmax, int *counts)
{
    static const int sweep[] = {5, 10, 20, 30, 40, 50, 75, 100, 150, 200, 300, 400};
    const int nsweep = (int)(sizeof sweep / sizeof sweep[0]);
    int n = 0;
    if (asked) {
        counts[n++] = asked < kmax ? asked : kmax;
        return n;
    }
    for (int si = 0; si < nsweep && sweep[si] < kmax; si++)
        counts[n++] = sweep[si];
    counts[n++] = kmax;
    return n;
}

typedef struct space {
    const pr_eigenfaces *model;
    const float *coeffs; /* n x kmax */
    int kmax;
    const int *person;
    int ntr, n;
} space;

/* Test images whose nearest training image (components skip..k) is the same person. */
static int count_correct(const space *sp, const pr_eigenface_eval_params *p, int k)
{
    const int wcos = strcmp(p->distance, "wcos") == 0, cosd = strcmp(p->distance, "cos") == 0;
    int correct = 0;
    for (int i = sp->ntr; i < sp->n; i++) {
        const float *c = sp->coeffs + (size_t)i * sp->kmax;
        int best = -1;
        double bd = 0;
        for (int j = 0; j < sp->ntr; j++) {
            const float *t = sp->coeffs + (size_t)j * sp->kmax;
            double d = wcos   ? pr_eigenfaces_distance_wcos(sp->model, c, t, p->skip, k)
                       : cosd ? pr_eigenfaces_distance_cos(c, t, p->skip, k)
                              : pr_eigenfaces_distance_l2(c, t, p->skip, k);
            if (best < 0 || d < bd) {
                bd = d;
                best = j;
            }
        }
        correct += best >= 0 && sp->person[best] == sp->person[i];
    }
    return correct;
}

static void score(const space *sp, const pr_eigenface_eval_params *p, pr_eigenface_eval_result *r)
{
    int counts[PR_EIGENFACE_EVAL_MAX_ROWS];
    const int ncounts = component_counts(p->components, sp->kmax, counts);
    r->n_rows = 0;
    for (int ci = 0; ci < ncounts; ci++) {
        if (p->skip >= counts[ci])
            continue;
        pr_eigenface_eval_row *row = &r->rows[r->n_rows++];
        row->components = counts[ci];
        row->correct = count_correct(sp, p, counts[ci]);
        row->rate = r->test ? (double)row->correct / r->test : 0;
    }
}

pr_status pr_eigenface_eval_run(const char *labels, const pr_eigenface_eval_params *params,
                                pr_eigenface_eval_result *result)
{
    set s;
    memset(&s, 0, sizeof s);
    memset(result, 0, sizeof *result);
    float *rows = NULL, *coeffs = NULL;
    int *seen = NULL, *person = NULL;
    pr_eigenfaces *model = NULL;
    pr_eigenfaces_params p = pr_eigenfaces_params_default();
    p.width = params->width;
    p.height = params->height;
    p.equalize = params->equalize;
    const int dim = p.width * p.height;
    pr_status st = pr_eigenface_eval_params_check(params);
    if (st == PR_OK)
        st = read_labels(labels, &s);
    if (st != PR_OK)
        goto done;
    seen = (int *)pr_calloc((size_t)(s.n_names ? s.n_names : 1), sizeof(int));
    rows = (float *)pr_malloc_array((size_t)(s.n ? s.n : 1) * dim, sizeof(float));
    person = (int *)pr_malloc_array((size_t)(s.n ? s.n : 1), sizeof(int));
    if (!seen || !rows || !person) {
        st = pr_set_error(PR_ERR_NOMEM, "eval eigenfaces: out of memory");
        goto done;
    }
    for (int i = 0; i < s.n; i++) {
        s.samples[i].train = seen[s.samples[i].person]++ < params->train_per_person;
        result->train += s.samples[i].train;
    }
    result->test = s.n - result->train;
    result->people = s.n_names;
    clock_t t0 = clock();
    st = load_rows(&s, &p, result->train, rows, person);
    p.components = 0;
    p.energy = 1.0; /* keep every component; the counts are chosen when scoring */
    if (st == PR_OK && (st = pr_eigenfaces_train(&p, rows, result->train, dim, &model)) != PR_OK)
        st = pr_set_error(st, "%s: %s", labels, pr_last_error());
    if (st != PR_OK)
        goto done;
    result->train_seconds = (double)(clock() - t0) / CLOCKS_PER_SEC;
    if (params->save && (st = pr_eigenfaces_save(model, params->save)) != PR_OK) {
        st = pr_set_error(st, "%s: %s", params->save, pr_last_error());
        goto done;
    }
    const int kmax = pr_eigenfaces_components(model);
    coeffs = (float *)pr_malloc_array((size_t)s.n * kmax, sizeof(float));
    if (!coeffs) {
        st = pr_set_error(PR_ERR_NOMEM, "eval eigenfaces: out of memory");
        goto done;
    }
    for (int i = 0; i < s.n; i++)
        pr_eigenfaces_project(model, rows + (size_t)i * dim, coeffs + (size_t)i * kmax);
    space sp = {model, coeffs, kmax, person, result->train, s.n};
    score(&sp, params, result);
done:
    set_free(&s);
    pr_free(rows);
    pr_free(coeffs);
    pr_free(seen);
    pr_free(person);
    pr_eigenfaces_delete(model);
    return st;
}

pr_status pr_eigenface_eval_write_json(FILE *out, const pr_eigenface_eval_params *p,
                                       const pr_eigenface_eval_result *r)
{
    pr_status st = PR_OK;
    for (int i = 0; i < r->n_rows && st == PR_OK; i++) {
        pr_json w = pr_json_begin(out, 0);
        pr_json_object(&w);
        pr_json_kv_num(&w, "recognition_rate", r->rows[i].rate);
        pr_json_kv_int(&w, "components", r->rows[i].components);
        pr_json_kv_int(&w, "skip", p->skip);
        pr_json_kv_str(&w, "distance", p->distance);
        pr_json_kv_int(&w, "train", r->train);
        pr_json_kv_int(&w, "test", r->test);
        pr_json_kv_int(&w, "people", r->people);
        pr_json_kv_int(&w, "width", p->width);
        pr_json_kv_int(&w, "height", p->height);
        pr_json_kv_bool(&w, "equalize", p->equalize);
        pr_json_kv_num(&w, "train_seconds", r->train_seconds);
        pr_json_end(&w);
        st = pr_json_finish(&w);
    }
    return st;
}

void pr_eigenface_eval_write_text(FILE *out, const pr_eigenface_eval_params *p,
                                  const pr_eigenface_eval_result *r)
{
    for (int i = 0; i < r->n_rows; i++)
        fprintf(out,
                "components %3d (skip %d, %s): recognition rate %.4f (%d/%d; train %d, %d "
                "people)\n",
                r->rows[i].components, p->skip, p->distance, r->rows[i].rate, r->rows[i].correct,
                r->test, r->train, r->people);
}
