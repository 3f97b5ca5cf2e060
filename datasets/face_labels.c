/* The face-label set: storage, loading by kind, and pixel scaling of normalised boxes. The format
 * parsers live in labels_csv.c, labels_dlib.c, labels_gallagher.c, picasa.c and xmp_regions.c. */
#define _POSIX_C_SOURCE 200809L
#include "datasets/face_labels.h"

#include "core/alloc.h"
#include "datasets/labels_internal.h"
#include "datasets/picasa.h"
#include "datasets/text_internal.h"
#include "datasets/xmp_regions.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

pr_status pr_face_labels_new(const char *base_dir, pr_face_labels **out)
{
    if (!out)
        return pr_set_error(PR_ERR_ARG, "pr_face_labels_new: out is NULL");
    *out = NULL;
    pr_face_labels *set = pr_calloc(1, sizeof *set);
    if (!set)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    set->base_dir = pr_strdup(base_dir ? base_dir : "");
    if (!set->base_dir) {
        pr_free(set);
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    }
    *out = set;
    return PR_OK;
}

void pr_face_labels_delete(pr_face_labels *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->count; i++) {
        pr_free(set->items[i].image);
        pr_free(set->items[i].person);
        pr_free(set->items[i].extra);
    }
    pr_free(set->items);
    pr_free(set->base_dir);
    pr_free(set->extra_names);
    pr_free(set);
}

pr_status pr_face_labels_add(pr_face_labels *set, const char *image, pr_box box,
                             const char *person, const char *extra, double score)
{
    if (!set || !image)
        return pr_set_error(PR_ERR_ARG, "pr_face_labels_add: set or image is NULL");
    if (set->count == set->capacity) {
        size_t ncap = set->capacity ? set->capacity * 2 : 64;
        pr_face_label *ni = pr_realloc(set->items, ncap * sizeof *ni);
        if (!ni)
            return pr_set_error(PR_ERR_NOMEM, "out of memory");
        set->items = ni;
        set->capacity = ncap;
    }
    pr_face_label *l = &set->items[set->count];
    memset(l, 0, sizeof *l);
    l->image = pr_strdup(image);
    l->person = person ? pr_strdup(person) : NULL;
    l->extra = extra ? pr_strdup(extra) : NULL;
    if (!l->image || (person && !l->person) || (extra && !l->extra)) {
        pr_free(l->image);
        pr_free(l->person);
        pr_free(l->extra);
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    }
    l->box = box;
    l->score = score;
    set->count++;
    return PR_OK;
}

pr_status pr_face_labels_set_extra_names(pr_face_labels *set, const char *names)
{
    char *copy = NULL;
    if (names && !(copy = pr_strdup(names)))
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    pr_free(set->extra_names);
    set->extra_names = copy;
    return PR_OK;
}

pr_status pr_face_labels_image_path(const pr_face_labels *set, size_t index, char *buf,
                                    size_t size)
{
    if (!set || index >= set->count || !buf || size == 0)
        return pr_set_error(PR_ERR_ARG, "pr_face_labels_image_path: bad argument");
    const char *img = set->items[index].image;
    int n;
    if (img[0] == '/' || !set->base_dir[0])
        n = snprintf(buf, size, "%s", img);
    else
        n = snprintf(buf, size, "%s/%s", set->base_dir, img);
    if (n < 0 || (size_t)n >= size)
        return pr_set_error(PR_ERR_LIMIT, "image path longer than %zu bytes", size);
    return PR_OK;
}

pr_face_labels_load_params pr_face_labels_load_params_default(void)
{
    pr_face_labels_load_params p = {NULL, NULL, 0};
    return p;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

typedef pr_status (*parse_fn)(const char *, size_t, const char *, const char *, pr_face_labels **);

static pr_status load_text_kind(const char *path, const pr_face_labels_load_params *p,
                                parse_fn parse, pr_face_labels **out)
{
    char *data = NULL, *dir = NULL;
    size_t size = 0;
    pr_status st = pr_file_read_all(path, p->max_bytes, &data, &size);
    if (st != PR_OK)
        return st;
    dir = pr_path_dirname(path);
    if (!dir) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    st = parse(data, size, path, dir, out);
done:
    pr_free(data);
    pr_free(dir);
    return st;
}

pr_status pr_face_labels_load_ex(const char *path, const pr_face_labels_load_params *params,
                                 pr_face_labels **out)
{
    if (!path || !out)
        return pr_set_error(PR_ERR_ARG, "pr_face_labels_load: path or out is NULL");
    *out = NULL;
    pr_face_labels_load_params p = params ? *params : pr_face_labels_load_params_default();
    struct stat sb;
    if (stat(path, &sb) != 0)
        return pr_set_error(PR_ERR_IO, "%s: no such file or folder", path);
    if (S_ISDIR(sb.st_mode))
        return pr_face_labels_load_folder(path, &p, out);
    if (ends_with(path, ".csv"))
        return load_text_kind(path, &p, pr_face_labels_parse_csv, out);
    if (ends_with(path, ".xml"))
        return load_text_kind(path, &p, pr_face_labels_parse_dlib, out);
    if (ends_with(path, ".tsv") || ends_with(path, ".txt"))
        return load_text_kind(path, &p, pr_face_labels_parse_gallagher, out);
    if (ends_with(path, "picasa.ini"))
        return pr_picasa_load(path, &p, out);
    if (ends_with(path, ".xmp"))
        return pr_xmp_load(path, &p, out);
    return pr_set_error(PR_ERR_UNSUPPORTED,
                        "%s: unknown label file kind (expected .csv, .xml, .tsv, .picasa.ini, "
                        ".xmp or a folder)", path);
}

pr_status pr_face_labels_load(const char *path, pr_face_labels **out)
{
    return pr_face_labels_load_ex(path, NULL, out);
}

pr_status pr_face_labels_append(pr_face_labels *dst, const pr_face_labels *src, const char *prefix)
{
    char path[4096];
    for (size_t i = 0; i < src->count; i++) {
        const pr_face_label *l = &src->items[i];
        int n = prefix && prefix[0] ? snprintf(path, sizeof path, "%s/%s", prefix, l->image)
                                    : snprintf(path, sizeof path, "%s", l->image);
        if (n < 0 || (size_t)n >= sizeof path)
            return pr_set_error(PR_ERR_LIMIT, "%s: image path too long", l->image);
        pr_status st = pr_face_labels_add(dst, path, l->box, l->person, l->extra, l->score);
        if (st != PR_OK)
            return st;
        pr_face_label *d = &dst->items[dst->count - 1];
        d->has_eyes = l->has_eyes;
        memcpy(d->eyes, l->eyes, sizeof d->eyes);
    }
    return PR_OK;
}

pr_status pr_labels_check_field(const char *s, size_t n, const char *name, int line,
                                const char *what)
{
    if (n > PR_TEXT_MAX_FIELD)
        return pr_set_error(PR_ERR_FORMAT, "%s:%d: %s longer than %d bytes", name, line, what,
                            PR_TEXT_MAX_FIELD);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return pr_set_error(PR_ERR_FORMAT, "%s:%d: control character in %s", name, line,
                                what);
    if (!pr_text_utf8_valid(s, n))
        return pr_set_error(PR_ERR_FORMAT, "%s:%d: %s is not valid UTF-8", name, line, what);
    return PR_OK;
}

pr_status pr_labels_check_box(pr_box b, const char *name, int line)
{
    if (!(b.w > 0) || !(b.h > 0))
        return pr_set_error(PR_ERR_FORMAT, "%s:%d: face box has no area (w %g, h %g)", name, line,
                            b.w, b.h);
    return PR_OK;
}
