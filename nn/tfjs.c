#include "nn/tfjs.h"

#include "core/alloc.h"
#include "core/image.h"
#include "core/sha256.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define PR_NN_MAX_FILE ((size_t)1 << 30)

void pr_nn_weights_delete(pr_nn_weights *w)
{
    if (!w)
        return;
    for (int i = 0; i < w->n; i++) {
        pr_free(w->tensors[i].name);
        pr_free(w->tensors[i].data);
    }
    pr_free(w->tensors);
    pr_free(w->manifest_path);
    pr_free(w->bin_path);
    pr_free(w);
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = pr_malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Reads a whole file; a missing file gets a message that says what it is and how to get it. */
static pr_status read_all(const char *path, uint8_t **bytes, size_t *size)
{
    pr_status st = pr_read_file(path, PR_NN_MAX_FILE, bytes, size);
    if (st == PR_ERR_IO)
        return pr_set_error(st, "%s: cannot read the face model file (missing? run "
                                "scripts/install-deps to fetch the models)", path);
    return st;
}

static pr_status check_hash(const char *path, const uint8_t *bytes, size_t size,
                            const char *expected)
{
    if (!expected)
        return PR_OK;
    char hex[65];
    pr_sha256_hex(bytes, size, hex);
    if (strcmp(hex, expected) != 0)
        return pr_set_error(PR_ERR_FORMAT, "%s: sha256 %s, expected %s (corrupt or another "
                            "version; fetch @vladmandic/face-api 1.7.15 with scripts/install-deps)",
                            path, hex, expected);
    return PR_OK;
}

/* Fills t's name, shape and count from one manifest entry; *bytes_per = 1 (uint8) or 4. */
static pr_status parse_entry(const char *path, json_t *e, int idx, pr_nn_tensor *t, int *bytes_per,
                             double *scale, double *min)
{
    json_t *name = json_object_get(e, "name"), *shape = json_object_get(e, "shape");
    json_t *q = json_object_get(e, "quantization");
    if (!json_is_string(name) || !json_is_array(shape) || json_array_size(shape) > 4)
        return pr_set_error(PR_ERR_FORMAT, "%s: weight entry %d lacks a name or a shape (<= 4 dims)",
                            path, idx);
    t->name = pr_strdup(json_string_value(name));
    if (!t->name)
        return pr_set_error(PR_ERR_NOMEM, "%s: out of memory", path);
    t->ndim = (int)json_array_size(shape);
    t->count = 1;
    for (int d = 0; d < t->ndim; d++) {
        json_t *v = json_array_get(shape, (size_t)d);
        if (!json_is_integer(v) || json_integer_value(v) <= 0 || json_integer_value(v) > (1 << 20))
            return pr_set_error(PR_ERR_FORMAT, "%s: %s has a bad dimension", path, t->name);
        t->shape[d] = (int)json_integer_value(v);
        if (t->count > ((size_t)1 << 30) / (size_t)t->shape[d])
            return pr_set_error(PR_ERR_FORMAT, "%s: %s has over 2^30 elements", path, t->name);
        t->count *= (size_t)t->shape[d];
    }
    *bytes_per = 4;
    if (q) {
        json_t *qd = json_object_get(q, "dtype"), *s = json_object_get(q, "scale"),
               *m = json_object_get(q, "min");
        if (!json_is_string(qd) || strcmp(json_string_value(qd), "uint8") != 0 ||
            !json_is_number(s) || !json_is_number(m))
            return pr_set_error(PR_ERR_FORMAT, "%s: %s: only uint8 quantisation with scale and "
                                "min is supported", path, t->name);
        *bytes_per = 1;
        *scale = json_number_value(s);
        *min = json_number_value(m);
    }
    return PR_OK;
}

/* Dequantises (or copies) one tensor from the .bin at *at. */
static pr_status decode(pr_nn_tensor *t, const uint8_t *bytes, int bytes_per, double scale,
                        double min, const char *path)
{
    t->data = pr_malloc_array(t->count ? t->count : 1, sizeof(float));
    if (!t->data)
        return pr_set_error(PR_ERR_NOMEM, "%s: out of memory", path);
    for (size_t i = 0; i < t->count; i++) {
        if (bytes_per == 1) {
            t->data[i] = (float)((double)bytes[i] * scale + min);
        } else {
            uint32_t u = (uint32_t)bytes[4 * i] | (uint32_t)bytes[4 * i + 1] << 8 |
                         (uint32_t)bytes[4 * i + 2] << 16 | (uint32_t)bytes[4 * i + 3] << 24;
            memcpy(&t->data[i], &u, sizeof u);
        }
    }
    return PR_OK;
}

typedef struct entry_info {
    int bytes_per;
    double scale, min;
} entry_info;

/* Parses the manifest's single group: its .bin name and the tensor list. */
static pr_status parse_manifest(pr_nn_weights *w, json_t *root, const char **bin_name,
                                entry_info **info)
{
    const char *path = w->manifest_path;
    json_t *group = json_is_array(root) && json_array_size(root) == 1 ? json_array_get(root, 0)
                                                                      : NULL;
    json_t *paths = group ? json_object_get(group, "paths") : NULL;
    json_t *weights = group ? json_object_get(group, "weights") : NULL;
    if (!json_is_array(paths) || json_array_size(paths) != 1 ||
        !json_is_string(json_array_get(paths, 0)) || !json_is_array(weights) ||
        json_array_size(weights) == 0)
        return pr_set_error(PR_ERR_FORMAT, "%s: not a one-group tfjs weights manifest", path);
    *bin_name = json_string_value(json_array_get(paths, 0));
    if (strchr(*bin_name, '/'))
        return pr_set_error(PR_ERR_FORMAT, "%s: weights path '%s' leaves the folder", path,
                            *bin_name);
    size_t n = json_array_size(weights);
    w->tensors = pr_calloc(n, sizeof *w->tensors);
    *info = pr_calloc(n, sizeof **info);
    if (!w->tensors || !*info)
        return pr_set_error(PR_ERR_NOMEM, "%s: out of memory", path);
    for (size_t i = 0; i < n; i++) {
        w->n = (int)i + 1;
        entry_info *e = &(*info)[i];
        pr_status st = parse_entry(path, json_array_get(weights, i), (int)i, &w->tensors[i],
                                   &e->bytes_per, &e->scale, &e->min);
        if (st != PR_OK)
            return st;
    }
    return PR_OK;
}

static pr_status load_bin(pr_nn_weights *w, const entry_info *info, const char *bin_sha256)
{
    uint8_t *bytes = NULL;
    size_t size = 0, need = 0, at = 0;
    for (int i = 0; i < w->n; i++)
        need += w->tensors[i].count * (size_t)info[i].bytes_per;
    pr_status st = read_all(w->bin_path, &bytes, &size);
    if (st != PR_OK)
        return st;
    if (size != need) {
        st = pr_set_error(PR_ERR_FORMAT, "%s: %zu bytes, its manifest %s needs %zu (%s; run "
                          "scripts/install-deps)", w->bin_path, size, w->manifest_path, need,
                          size < need ? "truncated" : "wrong file");
        goto done;
    }
    st = check_hash(w->bin_path, bytes, size, bin_sha256);
    for (int i = 0; st == PR_OK && i < w->n; i++) {
        st = decode(&w->tensors[i], bytes + at, info[i].bytes_per, info[i].scale, info[i].min,
                    w->bin_path);
        at += w->tensors[i].count * (size_t)info[i].bytes_per;
    }
done:
    pr_free(bytes);
    return st;
}

pr_status pr_nn_weights_load(const char *dir, const char *stem, const char *manifest_sha256,
                             const char *bin_sha256, pr_nn_weights **out)
{
    *out = NULL;
    uint8_t *text = NULL;
    size_t size = 0;
    json_t *root = NULL;
    entry_info *info = NULL;
    const char *bin_name = NULL;
    char manifest_name[256];
    snprintf(manifest_name, sizeof manifest_name, "%s-weights_manifest.json", stem);
    pr_nn_weights *w = pr_calloc(1, sizeof *w);
    pr_status st = PR_ERR_NOMEM;
    if (!w || !(w->manifest_path = join(dir, manifest_name))) {
        pr_set_error(st, "nn weights: out of memory");
        goto fail;
    }
    if ((st = read_all(w->manifest_path, &text, &size)) != PR_OK ||
        (st = check_hash(w->manifest_path, text, size, manifest_sha256)) != PR_OK)
        goto fail;
    json_error_t jerr;
    root = json_loadb((const char *)text, size, 0, &jerr);
    if (!root) {
        st = pr_set_error(PR_ERR_FORMAT, "%s: line %d: %s", w->manifest_path, jerr.line, jerr.text);
        goto fail;
    }
    if ((st = parse_manifest(w, root, &bin_name, &info)) != PR_OK)
        goto fail;
    if (!(w->bin_path = join(dir, bin_name))) {
        st = pr_set_error(PR_ERR_NOMEM, "nn weights: out of memory");
        goto fail;
    }
    if ((st = load_bin(w, info, bin_sha256)) != PR_OK)
        goto fail;
    json_decref(root);
    pr_free(text);
    pr_free(info);
    *out = w;
    return PR_OK;
fail:
    json_decref(root);
    pr_free(text);
    pr_free(info);
    pr_nn_weights_delete(w);
    return st;
}

static void shape_str(int ndim, const int *shape, char *buf, size_t cap)
{
    size_t at = (size_t)snprintf(buf, cap, "[");
    for (int d = 0; d < ndim && at < cap; d++)
        at += (size_t)snprintf(buf + at, cap - at, d ? ", %d" : "%d", shape[d]);
    if (at < cap)
        snprintf(buf + at, cap - at, "]");
}

pr_status pr_nn_weights_get(pr_nn_weights *w, const char *name, int ndim, const int *shape,
                            const float **data)
{
    for (int i = 0; i < w->n; i++) {
        pr_nn_tensor *t = &w->tensors[i];
        if (strcmp(t->name, name) != 0)
            continue;
        if (t->ndim != ndim || memcmp(t->shape, shape, (size_t)ndim * sizeof *shape) != 0) {
            char have[64], want[64];
            shape_str(t->ndim, t->shape, have, sizeof have);
            shape_str(ndim, shape, want, sizeof want);
            return pr_set_error(PR_ERR_FORMAT, "%s: tensor %s has shape %s, expected %s",
                                w->manifest_path, name, have, want);
        }
        t->used = 1;
        *data = t->data;
        return PR_OK;
    }
    return pr_set_error(PR_ERR_FORMAT, "%s: tensor %s is missing (not the expected net?)",
                        w->manifest_path, name);
}

pr_status pr_nn_weights_check_all_used(const pr_nn_weights *w)
{
    for (int i = 0; i < w->n; i++)
        if (!w->tensors[i].used)
            return pr_set_error(PR_ERR_FORMAT, "%s: unexpected tensor %s (not the expected net?)",
                                w->manifest_path, w->tensors[i].name);
    return PR_OK;
}

pr_status pr_nn_weights_copy(pr_nn_weights *w, const char *name, int ndim, const int *shape,
                             float **out)
{
    const float *src;
    *out = NULL;
    pr_status st = pr_nn_weights_get(w, name, ndim, shape, &src);
    if (st != PR_OK)
        return st;
    size_t n = 1;
    for (int d = 0; d < ndim; d++)
        n *= (size_t)shape[d];
    *out = pr_malloc_array(n, sizeof(float));
    if (!*out)
        return pr_set_error(PR_ERR_NOMEM, "nn: out of memory for tensor %s", name);
    memcpy(*out, src, n * sizeof(float));
    return PR_OK;
}
