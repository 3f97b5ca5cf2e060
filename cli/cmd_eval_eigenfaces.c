/* requires: core features
 * personrec eval eigenfaces: recognition rate of eigenfaces + 1-NN on a labelled face-crop set. */
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/image.h"
#include "core/json.h"
#include "features/eigenfaces.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_eval_eigenfaces = {
    "eval eigenfaces",
    "eigenface recognition rate on a labelled face set (e.g. AT&T/ORL)",
    "usage: personrec eval eigenfaces --labels LABELS.csv [options]\n"
    "\n"
    "LABELS.csv has lines `path,person[,...]` (an optional header line, '#' comments); paths are\n"
    "relative to the CSV's folder. Each image is taken whole as the face, made grey and resized\n"
    "(optionally equalised). The first --train-per-person images of every person (file order)\n"
    "train the PCA; every other image is classified by its nearest training image in face space. Prints one\n"
    "result per component count: with --components N just N, else a sweep.\n"
    "\n"
    "options:\n"
    "  --labels FILE            the labelled set (required)\n"
    "  --train-per-person N     training images per person (default 5)\n"
    "  --components N           number of eigenfaces (default: sweep 5..all)\n"
    "  --skip N                 leave out the first N components (lighting; default 0)\n"
    "  --distance NAME          l2 (default), cos, or wcos (whitened cosine)\n"
    "  --size N                 preprocessed side in pixels (default 64)\n"
    "  --width N, --height N    preprocessed size when not square (override --size)\n"
    "  --equalize               histogram-equalise the crops (helps on Yale B only)\n"
    "  --save FILE              write the trained model (all components)\n"
    "  --json                   one JSON object per line\n",
    run,
};

typedef struct sample {
    char *path;
    int person;
    int train;
} sample;

static int person_id(char ***names, int *n, const char *name)
{
    for (int i = 0; i < *n; i++)
        if (strcmp((*names)[i], name) == 0)
            return i;
    char **nn = (char **)pr_realloc(*names, sizeof(char *) * (size_t)(*n + 1));
    if (!nn)
        return -1;
    *names = nn;
    nn[*n] = pr_strdup(name);
    if (!nn[*n])
        return -1;
    return (*n)++;
}

/* Reads `path,person` lines into samples (caller frees). Returns -1 with a message on error. */
static int read_labels(const char *file, sample **out, int *count, char ***names, int *n_names)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        fprintf(stderr, "personrec eval eigenfaces: %s: cannot open\n", file);
        return -1;
    }
    const char *slash = strrchr(file, '/');
    size_t dirlen = slash ? (size_t)(slash - file + 1) : 0;
    char line[4096];
    int cap = 0, lineno = 0;
    *out = NULL;
    *count = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#' || (lineno == 1 && (strncmp(line, "path,", 5) == 0 ||
                                                           strncmp(line, "image,", 6) == 0)))
            continue;
        char *comma = strchr(line, ',');
        if (!comma) {
            fprintf(stderr, "personrec eval eigenfaces: %s:%d: expected path,person\n", file,
                    lineno);
            fclose(f);
            return -1;
        }
        *comma = 0;
        char *person = comma + 1;
        person[strcspn(person, ",")] = 0;
        if (*count == cap) {
            cap = cap ? cap * 2 : 256;
            sample *ns = (sample *)pr_realloc(*out, sizeof(sample) * (size_t)cap);
            if (!ns) {
                fclose(f);
                return -1;
            }
            *out = ns;
        }
        sample *s = &(*out)[*count];
        size_t len = dirlen + strlen(line) + 1;
        s->path = (char *)pr_malloc(len);
        s->person = person_id(names, n_names, person);
        if (!s->path || s->person < 0) {
            pr_free(s->path);
            fclose(f);
            return -1;
        }
        snprintf(s->path, len, "%.*s%s", (int)dirlen, file, line);
        (*count)++;
    }
    fclose(f);
    return 0;
}

static int run(int argc, char **argv)
{
    const char *labels = NULL, *distance = "l2", *save = NULL;
    int per_person = 5, components = 0, skip = 0, size = 64, eq = 0, json = 0;
    int width = 0, height = 0;
    const pr_option opts[] = {
        {"labels", PR_OPT_STRING, &labels},
        {"train-per-person", PR_OPT_INT, &per_person},
        {"components", PR_OPT_INT, &components},
        {"skip", PR_OPT_INT, &skip},
        {"distance", PR_OPT_STRING, &distance},
        {"size", PR_OPT_INT, &size},
        {"width", PR_OPT_INT, &width},
        {"height", PR_OPT_INT, &height},
        {"equalize", PR_OPT_FLAG, &eq},
        {"save", PR_OPT_STRING, &save},
        {"json", PR_OPT_FLAG, &json},
        {NULL, PR_OPT_FLAG, NULL},
    };
    int npos = 0;
    int rc = pr_cli_parse(&pr_cmd_eval_eigenfaces, argc, argv, opts, &npos);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (!labels)
        return pr_cli_usage_error(&pr_cmd_eval_eigenfaces, "--labels is required");
    if (npos > 0)
        return pr_cli_usage_error(&pr_cmd_eval_eigenfaces, "unexpected argument %s", argv[1]);
    if (!width)
        width = size;
    if (!height)
        height = size;
    if (per_person < 1 || components < 0 || skip < 0 || width < 8 || width > 512 || height < 8 ||
        height > 512)
        return pr_cli_usage_error(&pr_cmd_eval_eigenfaces, "option out of range");
    int wcos = strcmp(distance, "wcos") == 0, cosd = strcmp(distance, "cos") == 0;
    if (!wcos && !cosd && strcmp(distance, "l2") != 0)
        return pr_cli_usage_error(&pr_cmd_eval_eigenfaces, "--distance must be l2, cos or wcos");

    int status = PR_EXIT_FAIL;
    sample *samples = NULL;
    char **names = NULL;
    int n = 0, n_names = 0, ntr = 0, nte = 0;
    float *rows = NULL, *coeffs = NULL;
    int *seen = NULL;
    pr_eigenfaces *model = NULL;
    pr_eigenfaces_params p = pr_eigenfaces_params_default();
    p.width = width;
    p.height = height;
    p.equalize = eq;
    int dim = width * height;
    if (read_labels(labels, &samples, &n, &names, &n_names) != 0)
        goto done;
    seen = (int *)pr_calloc((size_t)(n_names ? n_names : 1), sizeof(int));
    rows = (float *)pr_malloc_array((size_t)(n ? n : 1) * dim, sizeof(float));
    if (!seen || !rows) {
        fprintf(stderr, "personrec eval eigenfaces: out of memory\n");
        goto done;
    }
    /* Training rows first (in file order), then test rows, so training is one block. */
    for (int i = 0; i < n; i++) {
        samples[i].train = seen[samples[i].person]++ < per_person;
        ntr += samples[i].train;
    }
    nte = n - ntr;
    clock_t t0 = clock();
    {
        int itr = 0, ite = ntr;
        for (int i = 0; i < n; i++) {
            pr_image *img = NULL;
            if (pr_image_load(samples[i].path, NULL, &img, NULL) != PR_OK) {
                pr_cli_report_error(samples[i].path);
                goto done;
            }
            int slot = samples[i].train ? itr++ : ite++;
            pr_status st = pr_eigenfaces_preprocess(img, NULL, &p, rows + (size_t)slot * dim);
            pr_image_delete(img);
            if (st != PR_OK) {
                pr_cli_report_error(samples[i].path);
                goto done;
            }
        }
    }
    int *person = (int *)pr_malloc_array((size_t)(n ? n : 1), sizeof(int));
    if (!person)
        goto done;
    {
        int itr = 0, ite = ntr;
        for (int i = 0; i < n; i++)
            person[samples[i].train ? itr++ : ite++] = samples[i].person;
    }
    p.components = 0;
    p.energy = 1.0; /* keep every component; counts are chosen below */
    if (pr_eigenfaces_train(&p, rows, ntr, dim, &model) != PR_OK) {
        pr_cli_report_error(labels);
        pr_free(person);
        goto done;
    }
    double train_s = (double)(clock() - t0) / CLOCKS_PER_SEC;
    if (save && pr_eigenfaces_save(model, save) != PR_OK) {
        pr_cli_report_error(save);
        pr_free(person);
        goto done;
    }
    int kmax = pr_eigenfaces_components(model);
    coeffs = (float *)pr_malloc_array((size_t)n * kmax, sizeof(float));
    if (!coeffs) {
        pr_free(person);
        goto done;
    }
    for (int i = 0; i < n; i++)
        pr_eigenfaces_project(model, rows + (size_t)i * dim, coeffs + (size_t)i * kmax);
    int sweep[] = {5, 10, 20, 30, 40, 50, 75, 100, 150, 200, 300, 400};
    int nsweep = (int)(sizeof sweep / sizeof sweep[0]);
    /* The counts to report: the one asked for, else the sweep up to the model's size and then
     * the model's size itself. */
    int counts[16], ncounts = 0;
    if (components) {
        counts[ncounts++] = components < kmax ? components : kmax;
    } else {
        for (int si = 0; si < nsweep && sweep[si] < kmax; si++)
            counts[ncounts++] = sweep[si];
        counts[ncounts++] = kmax;
    }
    for (int ci = 0; ci < ncounts; ci++) {
        int k = counts[ci];
        if (skip >= k)
            continue;
        int correct = 0;
        for (int i = ntr; i < n; i++) {
            const float *c = coeffs + (size_t)i * kmax;
            int best = -1;
            double bd = 0;
            for (int j = 0; j < ntr; j++) {
                const float *t = coeffs + (size_t)j * kmax;
                double d = wcos   ? pr_eigenfaces_distance_wcos(model, c, t, skip, k)
                           : cosd ? pr_eigenfaces_distance_cos(c, t, skip, k)
                                  : pr_eigenfaces_distance_l2(c, t, skip, k);
                if (best < 0 || d < bd) {
                    bd = d;
                    best = j;
                }
            }
            correct += best >= 0 && person[best] == person[i];
        }
        double rate = nte ? (double)correct / nte : 0;
        if (json) {
            printf("{\"recognition_rate\":");
            pr_json_number(stdout, rate);
            printf(",\"components\":%d,\"skip\":%d,\"distance\":\"%s\",\"train\":%d,\"test\":%d,"
                   "\"people\":%d,\"width\":%d,\"height\":%d,\"equalize\":%s,\"train_seconds\":",
                   k, skip, distance, ntr, nte, n_names, width, height,
                   eq ? "true" : "false");
            pr_json_number(stdout, train_s);
            printf("}\n");
        } else {
            printf("components %3d (skip %d, %s): recognition rate %.4f (%d/%d; train %d, %d "
                   "people)\n",
                   k, skip, distance, rate, correct, nte, ntr, n_names);
        }
    }
    pr_free(person);
    status = PR_EXIT_OK;
done:
    for (int i = 0; i < n; i++)
        pr_free(samples[i].path);
    pr_free(samples);
    for (int i = 0; i < n_names; i++)
        pr_free(names[i]);
    pr_free(names);
    pr_free(rows);
    pr_free(coeffs);
    pr_free(seen);
    pr_eigenfaces_delete(model);
    return status;
}
