/* XMP sidecar face regions through exempi (see xmp_regions.h for the two schemas).
 *
 * MWG Regions: Metadata Working Group, "Guidelines for Handling Image Metadata" 2.0 (2010),
 * section 5.9: stArea x/y are the region's centre, w/h its size, all normalised to the image as
 * given by AppliedToDimensions. MP regions: Microsoft Windows Live Photo Gallery "People Tagging
 * Overview": MPReg:Rectangle is "left, top, width, height" normalised. Every number is checked
 * before use; a sidecar that exempi cannot parse, or a region with bad numbers, is PR_ERR_FORMAT
 * naming the file and the region. */
#define _POSIX_C_SOURCE 200809L
#include "datasets/xmp_regions.h"

#include "core/image_probe.h"
#include "core/alloc.h"
#include "datasets/labels_internal.h"
#include "datasets/text_internal.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#ifdef PR_HAVE_EXEMPI
#include <exempi/xmp.h>
#include <pthread.h>

#define NS_MWGRS "http://www.metadataworkinggroup.com/schemas/regions/"
#define NS_STDIM "http://ns.adobe.com/xap/1.0/sType/Dimensions#"
#define NS_STAREA "http://ns.adobe.com/xmp/sType/Area#"
#define NS_MP "http://ns.microsoft.com/photo/1.2/"
#define NS_MPRI "http://ns.microsoft.com/photo/1.2/t/RegionInfo#"
#define NS_MPREG "http://ns.microsoft.com/photo/1.2/t/Region#"

enum { MAX_REGIONS = 10000 };

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static int g_ready;

static int register_ns(const char *uri, const char *prefix)
{
    XmpStringPtr got = xmp_string_new();
    if (!got)
        return 0;
    int ok = xmp_register_namespace(uri, prefix, got);
    /* The toolkit answers with "prefix:"; a different prefix would break our paths. */
    const char *g = xmp_string_cstr(got);
    size_t n = strlen(prefix);
    ok = ok && g && strncmp(g, prefix, n) == 0 && (g[n] == ':' || g[n] == '\0');
    xmp_string_free(got);
    return ok;
}

static void init_once(void)
{
    if (!xmp_init())
        return;
    g_ready = register_ns(NS_MWGRS, "mwg-rs") && register_ns(NS_STDIM, "stDim") &&
              register_ns(NS_STAREA, "stArea") && register_ns(NS_MP, "MP") &&
              register_ns(NS_MPRI, "MPRI") && register_ns(NS_MPREG, "MPReg");
}

static pr_status ensure_init(void)
{
    pthread_once(&g_once, init_once);
    return g_ready ? PR_OK
                   : pr_set_error(PR_ERR_UNSUPPORTED, "exempi failed to initialise the XMP "
                                  "toolkit or its namespaces");
}

int pr_xmp_available(void)
{
    return ensure_init() == PR_OK;
}

/* Property text into buf; 0 when absent or too long. */
static int get_prop(XmpPtr xmp, XmpStringPtr s, const char *ns, const char *path, char *buf,
                    size_t size)
{
    uint32_t bits = 0;
    if (!xmp_get_property(xmp, ns, path, s, &bits))
        return 0;
    const char *v = xmp_string_cstr(s);
    size_t n = v ? strlen(v) : 0;
    if (!v || n >= size)
        return 0;
    memcpy(buf, v, n + 1);
    return 1;
}

static int get_num(XmpPtr xmp, XmpStringPtr s, const char *ns, const char *path, double *out)
{
    char buf[80];
    return get_prop(xmp, s, ns, path, buf, sizeof buf) &&
           pr_text_parse_double(buf, strlen(buf), out);
}

pr_status pr_xmp_parse_regions(const char *data, size_t size, const char *name, const char *image,
                               pr_face_labels *set, int *in_pixels)
{
    if (!set || !image || (!data && size))
        return pr_set_error(PR_ERR_ARG, "pr_xmp_parse_regions: bad argument");
    *in_pixels = 0;
    if (!name)
        name = "(xmp)";
    pr_status st = ensure_init();
    if (st != PR_OK)
        return st;
    if (size > PR_FILE_DEFAULT_MAX_BYTES)
        return pr_set_error(PR_ERR_LIMIT, "%s: XMP too large", name);
    if (!pr_text_utf8_valid(data ? data : "", size) || (size && memchr(data, '\0', size)))
        return pr_set_error(PR_ERR_FORMAT, "%s:1: XMP is not UTF-8 text", name);
    XmpPtr xmp = xmp_new(data ? data : "", size);
    if (!xmp)
        return pr_set_error(PR_ERR_FORMAT, "%s:1: exempi cannot parse the XMP (error %d)", name,
                            xmp_get_error());
    XmpStringPtr s = xmp_string_new();
    char path[160], text[PR_TEXT_MAX_FIELD + 1];
    size_t first = set->count;
    if (!s) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    double dim_w = 0, dim_h = 0;
    int have_dims = get_num(xmp, s, NS_MWGRS, "Regions/mwg-rs:AppliedToDimensions/stDim:w",
                            &dim_w) &&
                    get_num(xmp, s, NS_MWGRS, "Regions/mwg-rs:AppliedToDimensions/stDim:h",
                            &dim_h) &&
                    dim_w >= 1 && dim_h >= 1;
    for (int i = 1; i <= MAX_REGIONS; i++) {
        snprintf(path, sizeof path, "Regions/mwg-rs:RegionList[%d]", i);
        if (!xmp_has_property(xmp, NS_MWGRS, path))
            break;
        snprintf(path, sizeof path, "Regions/mwg-rs:RegionList[%d]/mwg-rs:Type", i);
        if (get_prop(xmp, s, NS_MWGRS, path, text, sizeof text) && strcmp(text, "Face") != 0)
            continue; /* pets, focus areas, bar codes */
        double v[4];
        static const char *const f[4] = {"x", "y", "w", "h"};
        for (int k = 0; k < 4; k++) {
            snprintf(path, sizeof path, "Regions/mwg-rs:RegionList[%d]/mwg-rs:Area/stArea:%s", i,
                     f[k]);
            if (!get_num(xmp, s, NS_MWGRS, path, &v[k])) {
                st = pr_set_error(PR_ERR_FORMAT, "%s:1: MWG region %d: Area %s missing or not a "
                                  "number", name, i, f[k]);
                goto done;
            }
        }
        pr_box box = {v[0] - 0.5 * v[2], v[1] - 0.5 * v[3], v[2], v[3]};
        if (!(box.w > 0 && box.h > 0)) {
            st = pr_set_error(PR_ERR_FORMAT, "%s:1: MWG region %d has no area", name, i);
            goto done;
        }
        if (have_dims) {
            box.x *= dim_w;
            box.w *= dim_w;
            box.y *= dim_h;
            box.h *= dim_h;
        }
        snprintf(path, sizeof path, "Regions/mwg-rs:RegionList[%d]/mwg-rs:Name", i);
        const char *person = NULL;
        if (get_prop(xmp, s, NS_MWGRS, path, text, sizeof text) && text[0]) {
            if ((st = pr_labels_check_field(text, strlen(text), name, 1, "region name")))
                goto done;
            person = text;
        }
        if ((st = pr_face_labels_add(set, image, box, person, NULL, 0)))
            goto done;
    }
    if (set->count > first) {
        *in_pixels = have_dims;
        goto done;
    }
    /* No MWG faces: Microsoft Photo regions. */
    for (int i = 1; i <= MAX_REGIONS; i++) {
        snprintf(path, sizeof path, "RegionInfo/MPRI:Regions[%d]", i);
        if (!xmp_has_property(xmp, NS_MP, path))
            break;
        snprintf(path, sizeof path, "RegionInfo/MPRI:Regions[%d]/MPReg:Rectangle", i);
        if (!get_prop(xmp, s, NS_MP, path, text, sizeof text))
            continue; /* a person tag without a rectangle names the whole photo */
        double v[4];
        const char *p = text;
        for (int k = 0; k < 4; k++) {
            const char *c = strchr(p, ',');
            size_t n = c ? (size_t)(c - p) : strlen(p);
            if ((k < 3) != (c != NULL) || !pr_text_parse_double(p, n, &v[k])) {
                st = pr_set_error(PR_ERR_FORMAT, "%s:1: MP region %d: Rectangle is not four "
                                  "numbers", name, i);
                goto done;
            }
            p = c ? c + 1 : p + n;
        }
        pr_box box = {v[0], v[1], v[2], v[3]};
        if (!(box.w > 0 && box.h > 0)) {
            st = pr_set_error(PR_ERR_FORMAT, "%s:1: MP region %d has no area", name, i);
            goto done;
        }
        snprintf(path, sizeof path, "RegionInfo/MPRI:Regions[%d]/MPReg:PersonDisplayName", i);
        const char *person = NULL;
        if (get_prop(xmp, s, NS_MP, path, text, sizeof text) && text[0]) {
            if ((st = pr_labels_check_field(text, strlen(text), name, 1, "person name")))
                goto done;
            person = text;
        }
        if ((st = pr_face_labels_add(set, image, box, person, NULL, 0)))
            goto done;
    }
done:
    if (s)
        xmp_string_free(s);
    xmp_free(xmp);
    if (st != PR_OK) {
        /* Leave the set as it was. */
        while (set->count > first) {
            pr_face_label *l = &set->items[--set->count];
            pr_free(l->image);
            pr_free(l->person);
            pr_free(l->extra);
        }
    }
    return st;
}

pr_status pr_xmp_load(const char *path, const pr_face_labels_load_params *params,
                      pr_face_labels **out)
{
    *out = NULL;
    pr_face_labels_load_params p = params ? *params : pr_face_labels_load_params_default();
    char *data = NULL, *dir = NULL;
    size_t size = 0;
    pr_face_labels *set = NULL;
    char image[4096], probe[4096];
    pr_status st = pr_file_read_all(path, p.max_bytes, &data, &size);
    if (st != PR_OK)
        return st;
    if (!(dir = pr_path_dirname(path))) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t bn = strlen(base);
    if (bn <= 4 || bn - 4 >= sizeof image) {
        st = pr_set_error(PR_ERR_ARG, "%s: not a sidecar name", path);
        goto done;
    }
    memcpy(image, base, bn - 4);
    image[bn - 4] = '\0';
    const char *img_dir = p.image_dir ? p.image_dir : dir;
    if (!strrchr(image, '.')) {
        /* "photo.xmp": find the photo it belongs to. */
        static const char *const exts[] = {".jpg", ".jpeg", ".JPG", ".JPEG", ".png", ".PNG"};
        for (size_t k = 0; k < sizeof exts / sizeof exts[0]; k++) {
            char withext[4112];
            int n = snprintf(withext, sizeof withext, "%s%s", image, exts[k]);
            if (n < 0 || (size_t)n >= sizeof image ||
                pr_path_join(probe, sizeof probe, img_dir, withext) != PR_OK)
                break;
            if (pr_file_exists(probe)) {
                strncat(image, exts[k], sizeof image - strlen(image) - 1);
                break;
            }
        }
    }
    int in_pixels = 0;
    if ((st = pr_face_labels_new(dir, &set)) ||
        (st = pr_xmp_parse_regions(data, size, path, image, set, &in_pixels)))
        goto done;
    if (!in_pixels && (st = pr_face_labels_scale_from_unit(set, 0, img_dir)))
        goto done;
    *out = set;
    set = NULL;
done:
    pr_free(data);
    pr_free(dir);
    pr_face_labels_delete(set);
    return st;
}

pr_xmp_save_params pr_xmp_save_params_default(void)
{
    pr_xmp_save_params p = {NULL};
    return p;
}

/* Writes the sidecar of one image from items idx[0..n). */
static pr_status save_one(const pr_face_labels *set, const char *image, const char *out_dir,
                          const char *image_dir)
{
    char xpath[4096], ipath[4096], path[160], val[160];
    int n1 = snprintf(xpath, sizeof xpath, "%s/%s.xmp", out_dir, image);
    int n2 = image_dir[0] ? snprintf(ipath, sizeof ipath, "%s/%s", image_dir, image)
                          : snprintf(ipath, sizeof ipath, "%s", image);
    if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof xpath || (size_t)n2 >= sizeof ipath)
        return pr_set_error(PR_ERR_LIMIT, "%s: path too long", image);
    int w, h;
    pr_status st = pr_image_probe(ipath, &w, &h);
    if (st != PR_OK)
        return pr_error_context(st, "XMP regions need the image size");
    char *old = NULL;
    size_t old_size = 0;
    XmpPtr xmp = NULL;
    XmpStringPtr out = NULL;
    if (pr_file_exists(xpath)) {
        if ((st = pr_file_read_all(xpath, 0, &old, &old_size)))
            return st;
        xmp = xmp_new(old, old_size);
        if (!xmp) {
            st = pr_set_error(PR_ERR_FORMAT, "%s:1: existing sidecar is not valid XMP; not "
                              "overwriting it", xpath);
            goto done;
        }
    } else {
        xmp = xmp_new_empty();
    }
    out = xmp_string_new();
    if (!xmp || !out) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    xmp_delete_property(xmp, NS_MWGRS, "Regions");
    xmp_delete_property(xmp, NS_MP, "RegionInfo");
    int ok = 1;
    snprintf(val, sizeof val, "%d", w);
    ok &= xmp_set_property(xmp, NS_MWGRS, "Regions/mwg-rs:AppliedToDimensions/stDim:w", val, 0);
    snprintf(val, sizeof val, "%d", h);
    ok &= xmp_set_property(xmp, NS_MWGRS, "Regions/mwg-rs:AppliedToDimensions/stDim:h", val, 0);
    ok &= xmp_set_property(xmp, NS_MWGRS, "Regions/mwg-rs:AppliedToDimensions/stDim:unit",
                           "pixel", 0);
    int k = 0;
    for (size_t i = 0; i < set->count && ok; i++) {
        const pr_face_label *l = &set->items[i];
        if (strcmp(l->image, image) != 0)
            continue;
        k++;
        double x = l->box.x / w, y = l->box.y / h, bw = l->box.w / w, bh = l->box.h / h;
        ok &= xmp_append_array_item(xmp, NS_MWGRS, "Regions/mwg-rs:RegionList",
                                    XMP_PROP_VALUE_IS_ARRAY, NULL, XMP_PROP_VALUE_IS_STRUCT);
        const double mwg[4] = {x + 0.5 * bw, y + 0.5 * bh, bw, bh};
        static const char *const f[4] = {"x", "y", "w", "h"};
        for (int q = 0; q < 4 && ok; q++) {
            snprintf(path, sizeof path, "Regions/mwg-rs:RegionList[%d]/mwg-rs:Area/stArea:%s", k,
                     f[q]);
            snprintf(val, sizeof val, "%.6f", mwg[q]);
            ok &= xmp_set_property(xmp, NS_MWGRS, path, val, 0);
        }
        snprintf(path, sizeof path, "Regions/mwg-rs:RegionList[%d]/mwg-rs:Area/stArea:unit", k);
        ok &= xmp_set_property(xmp, NS_MWGRS, path, "normalized", 0);
        snprintf(path, sizeof path, "Regions/mwg-rs:RegionList[%d]/mwg-rs:Type", k);
        ok &= xmp_set_property(xmp, NS_MWGRS, path, "Face", 0);
        if (l->person) {
            snprintf(path, sizeof path, "Regions/mwg-rs:RegionList[%d]/mwg-rs:Name", k);
            ok &= xmp_set_property(xmp, NS_MWGRS, path, l->person, 0);
        }
        ok &= xmp_append_array_item(xmp, NS_MP, "RegionInfo/MPRI:Regions",
                                    XMP_PROP_VALUE_IS_ARRAY, NULL, XMP_PROP_VALUE_IS_STRUCT);
        snprintf(path, sizeof path, "RegionInfo/MPRI:Regions[%d]/MPReg:Rectangle", k);
        snprintf(val, sizeof val, "%.6f, %.6f, %.6f, %.6f", x, y, bw, bh);
        ok &= xmp_set_property(xmp, NS_MP, path, val, 0);
        if (l->person) {
            snprintf(path, sizeof path, "RegionInfo/MPRI:Regions[%d]/MPReg:PersonDisplayName", k);
            ok &= xmp_set_property(xmp, NS_MP, path, l->person, 0);
        }
    }
    if (!ok) {
        st = pr_set_error(PR_ERR_INTERNAL, "%s: exempi refused a region property (error %d)",
                          xpath, xmp_get_error());
        goto done;
    }
    if (!xmp_serialize(xmp, out, XMP_SERIAL_OMITPACKETWRAPPER, 0)) {
        st = pr_set_error(PR_ERR_INTERNAL, "%s: exempi cannot serialise (error %d)", xpath,
                          xmp_get_error());
        goto done;
    }
    if ((st = pr_mkdir_parents(xpath)))
        goto done;
    st = pr_file_write_atomic(xpath, xmp_string_cstr(out), xmp_string_len(out));
done:
    if (out)
        xmp_string_free(out);
    if (xmp)
        xmp_free(xmp);
    pr_free(old);
    return st;
}

pr_status pr_xmp_save(const pr_face_labels *set, const char *out_dir,
                      const pr_xmp_save_params *params)
{
    if (!set || !out_dir)
        return pr_set_error(PR_ERR_ARG, "pr_xmp_save: bad argument");
    pr_status st = ensure_init();
    if (st != PR_OK)
        return st;
    pr_xmp_save_params p = params ? *params : pr_xmp_save_params_default();
    const char *image_dir = p.image_dir ? p.image_dir : out_dir;
    for (size_t i = 0; i < set->count; i++) {
        const char *img = set->items[i].image;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(set->items[j].image, img) == 0;
        if (seen)
            continue;
        if (strstr(img, "..") || img[0] == '/') {
            return pr_set_error(PR_ERR_ARG, "%s: refusing to write a sidecar outside %s", img,
                                out_dir);
        }
        if ((st = save_one(set, img, out_dir, image_dir)))
            return st;
    }
    return PR_OK;
}

#else /* no exempi */

int pr_xmp_available(void)
{
    return 0;
}

pr_status pr_xmp_parse_regions(const char *data, size_t size, const char *name, const char *image,
                               pr_face_labels *set, int *in_pixels)
{
    (void)data, (void)size, (void)image, (void)set;
    *in_pixels = 0;
    return pr_set_error(PR_ERR_UNSUPPORTED, "%s: XMP support not built (exempi missing)",
                        name ? name : "(xmp)");
}

pr_status pr_xmp_load(const char *path, const pr_face_labels_load_params *params,
                      pr_face_labels **out)
{
    (void)params;
    *out = NULL;
    return pr_set_error(PR_ERR_UNSUPPORTED, "%s: XMP support not built (exempi missing)", path);
}

pr_xmp_save_params pr_xmp_save_params_default(void)
{
    pr_xmp_save_params p = {NULL};
    return p;
}

pr_status pr_xmp_save(const pr_face_labels *set, const char *out_dir,
                      const pr_xmp_save_params *params)
{
    (void)set, (void)params;
    return pr_set_error(PR_ERR_UNSUPPORTED, "%s: XMP support not built (exempi missing)",
                        out_dir ? out_dir : "");
}

#endif
