/* bench album (pipeline/bench_album.h). */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/bench_album.h"

#include "core/alloc.h"
#include "core/clock.h"
#include "core/fileio.h"
#include "core/files.h"
#include "core/image_probe.h"
#include "core/json.h"
#include "core/path.h"
#include "core/strbuf.h"
#include "core/threadpool.h"
#include "pipeline/photo_put.h"
#include "pipeline/store.h"

#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

pr_bench_album_params pr_bench_album_params_default(void)
{
    pr_bench_album_params p;
    memset(&p, 0, sizeof p);
    p.threads = 2;
    p.descriptor = 1;
    p.decode_long_side = 1;
    p.detail_region = 1;
    p.detector = -1;
    return p;
}

static double process_cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* Every image under dir, evenly spaced down to limit (so a subset spans every folder). */
static pr_status pick_photos(const pr_bench_album_params *p, pr_file_list *all, char ***paths,
                             int *n)
{
    pr_status st = pr_list_images(p->dir, all);
    if (st != PR_OK)
        return st;
    if (all->count == 0)
        return pr_set_error(PR_ERR_ARG, "%s: no photos", p->dir);
    size_t m = p->limit > 0 && (size_t)p->limit < all->count ? (size_t)p->limit : all->count;
    char **out = pr_calloc(m, sizeof *out);
    if (!out)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < m; i++)
        out[i] = all->paths[i * all->count / m]; /* borrowed from all */
    *paths = out;
    *n = (int)m;
    return PR_OK;
}

/* One photo brought to size_mp megapixels (aspect kept) and written as JPEG q90 to dst. */
static pr_status resize_one(const char *src, double size_mp, const char *dst, double *mp)
{
    pr_image *img = NULL, *big = NULL;
    pr_status st = pr_image_load(src, NULL, &img, NULL);
    if (st != PR_OK)
        return st;
    double f = sqrt(size_mp * 1e6 / ((double)img->width * img->height));
    int w = (int)lround(img->width * f), h = (int)lround(img->height * f);
    if ((st = pr_image_resize(img, w > 0 ? w : 1, h > 0 ? h : 1, &big)) == PR_OK)
        st = pr_image_save(dst, big); /* .jpg: quality 90 */
    *mp = (double)(w > 0 ? w : 1) * (h > 0 ? h : 1) / 1e6;
    pr_image_delete(big);
    pr_image_delete(img);
    return st;
}

/* The phone-size copies in tmp: paths[i] is replaced by tmp/NNNN.jpg (owned by copies). */
static pr_status prepare(const pr_bench_album_params *p, const char *tmp, char **paths, int n,
                         char **copies, pr_bench_album_result *r)
{
    double t0 = pr_clock_ms(), sum = 0;
    for (int i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "%04d.jpg", i);
        double mp = 0;
        if (!(copies[i] = pr_path_join_new(tmp, name)))
            return pr_set_error(PR_ERR_NOMEM, "out of memory");
        pr_status st = resize_one(paths[i], p->size_mp, copies[i], &mp);
        if (st != PR_OK)
            return st;
        sum += mp;
        paths[i] = copies[i];
    }
    r->prepare_ms = pr_clock_ms() - t0;
    r->megapixels = n ? sum / n : 0;
    return PR_OK;
}

static double mean_megapixels(char **paths, int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++) {
        int w = 0, h = 0;
        if (pr_image_probe(paths[i], &w, &h) == PR_OK)
            sum += (double)w * h / 1e6;
    }
    return n ? sum / n : 0;
}

/* What `label` stores per photo: the file's hash, the serialized records, one SQLite put. */
static pr_status store_photo(pr_store *store, const char *path, const pr_described_photo *ph)
{
    struct stat sb;
    pr_photo_stat ps = {0, 0, 0};
    if (stat(path, &sb) == 0) {
        ps.size = (int64_t)sb.st_size;
        ps.mtime = (int64_t)sb.st_mtime;
    }
    pr_status st = pr_file_hash(path, &ps.hash);
    return st == PR_OK ? pr_photo_put(store, path, &ps, ph, ph->skip_reason, NULL) : st;
}

static pr_status store_all(const char *tmp, int threads, char **paths, int n,
                           const pr_described_photo *out, pr_bench_album_run *run)
{
    char name[32];
    snprintf(name, sizeof name, "store-%d.sqlite", threads);
    char *db = pr_path_join_new(tmp, name);
    pr_store *store = NULL;
    pr_status st = db ? pr_store_open(db, &store) : pr_set_error(PR_ERR_NOMEM, "out of memory");
    double w0 = pr_clock_ms(), c0 = pr_clock_thread_cpu_ms();
    for (int i = 0; st == PR_OK && i < n; i++)
        st = store_photo(store, paths[i], &out[i]);
    run->stages.wall_ms[PR_STAGE_STORE] += pr_clock_ms() - w0;
    run->stages.cpu_ms[PR_STAGE_STORE] += pr_clock_thread_cpu_ms() - c0;
    pr_store_close(store);
    pr_free(db);
    return st;
}

/* One timed run on `threads` workers: describe every photo, then store them. Detectors and nets
 * are built before the clock starts (a long run builds them once). */
static pr_status run_once(const pr_bench_album_params *p, const char *tmp, int threads,
                          char **paths, int n, pr_bench_album_run *run, int *skipped)
{
    pr_pool *pool = NULL;
    pr_describe_stats *stats = NULL;
    pr_detector **dets = NULL;
    pr_face_net **nets = NULL;
    pr_described_photo *out = pr_calloc((size_t)n, sizeof *out);
    pr_describe_params dp = pr_describe_params_default();
    dp.descriptor = p->descriptor;
    dp.models_dir = p->models_dir;
    dp.decode_long_side = p->decode_long_side;
    dp.detail_region = p->detail_region;
    if (p->detector >= 0)
        dp.detector.detector = (pr_detector_kind)p->detector;
    int workers = 0;
    pr_status st = out ? pr_pool_new(threads, &pool) : pr_set_error(PR_ERR_NOMEM, "out of memory");
    if (st == PR_OK)
        workers = pr_pool_size(pool);
    if (st == PR_OK && (st = pr_describe_stats_new(workers, &stats)) == PR_OK &&
        (st = pr_describe_detectors(&dp, workers, &dets)) == PR_OK && p->descriptor)
        st = pr_describe_nets(&dp, workers, &nets);
    if (st != PR_OK)
        goto done;
    dp.pool = pool;
    dp.detectors = dets;
    dp.nets = nets;
    dp.stats = stats;
    memset(run, 0, sizeof *run);
    run->threads = workers;
    double w0 = pr_clock_ms(), c0 = process_cpu_ms();
    if ((st = pr_describe_photos(&dp, (const char *const *)paths, NULL, (size_t)n, out)) == PR_OK) {
        pr_describe_stats_sum(stats, &run->stages);
        st = store_all(tmp, workers, paths, n, out, run);
    }
    run->wall_ms = pr_clock_ms() - w0;
    run->cpu_ms = process_cpu_ms() - c0;
    *skipped = 0;
    for (int i = 0; i < n; i++)
        *skipped += out[i].skip_reason != NULL;
done:
    for (int i = 0; out && i < n; i++)
        pr_described_photo_clear(&out[i]);
    pr_free(out);
    pr_describe_nets_delete(nets, workers);
    pr_describe_detectors_delete(dets, workers);
    pr_describe_stats_delete(stats);
    pr_pool_delete(pool);
    return st;
}

/* The peer on the same photos: writes tmp/photos.txt, runs the script, keeps its JSON line. */
static pr_status run_peer(const pr_bench_album_params *p, const char *tmp, char **paths, int n,
                          pr_bench_album_result *r)
{
    pr_strbuf list = {0}, cmd = {0};
    for (int i = 0; i < n; i++)
        pr_strbuf_printf(&list, "%s\n", paths[i]);
    char *list_path = pr_path_join_new(tmp, "photos.txt");
    pr_status st = pr_strbuf_status(&list);
    if (st == PR_OK && !list_path)
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
    if (st == PR_OK)
        st = pr_file_write_atomic(list_path, list.data, list.len);
    if (st == PR_OK && (strchr(p->peer_script, '\'') || strchr(p->personrec, '\'') ||
                        strchr(list_path, '\''))) {
        snprintf(r->peer_note, sizeof r->peer_note, "peer not run: a path holds a quote");
        goto done;
    }
    pr_strbuf_printf(&cmd, "'%s' --personrec '%s' '%s'", p->peer_script, p->personrec, list_path);
    if (st != PR_OK || (st = pr_strbuf_status(&cmd)) != PR_OK)
        goto done;
    fflush(NULL);
    FILE *f = popen(pr_strbuf_str(&cmd), "r");
    if (!f) {
        snprintf(r->peer_note, sizeof r->peer_note, "peer not run: cannot start %s",
                 p->peer_script);
        goto done;
    }
    pr_strbuf out = {0};
    char buf[4096];
    for (size_t got; (got = fread(buf, 1, sizeof buf, f)) > 0;)
        pr_strbuf_append(&out, buf, got);
    int rc = pclose(f);
    while (out.len && (out.data[out.len - 1] == '\n' || out.data[out.len - 1] == '\r'))
        out.data[--out.len] = '\0';
    if (out.len && out.data[0] == '{' && !pr_strbuf_status(&out))
        r->peer = pr_strdup(pr_strbuf_str(&out));
    else
        snprintf(r->peer_note, sizeof r->peer_note, "peer failed (status %d)", rc);
    pr_strbuf_free(&out);
done:
    pr_strbuf_free(&list);
    pr_strbuf_free(&cmd);
    pr_free(list_path);
    return st;
}

void pr_bench_album_result_clear(pr_bench_album_result *r)
{
    if (r) {
        pr_free(r->peer);
        r->peer = NULL;
    }
}

/* Removes the temporary folder's files (the copies, the stores and their side files). */
static void remove_tmp(const char *tmp)
{
    DIR *d = opendir(tmp);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *f = pr_path_join_new(tmp, e->d_name);
        if (f)
            unlink(f);
        pr_free(f);
    }
    if (d)
        closedir(d);
    rmdir(tmp);
}

pr_status pr_bench_album(const pr_bench_album_params *p, pr_bench_album_result *r)
{
    memset(r, 0, sizeof *r);
    if (!p || !p->dir)
        return pr_set_error(PR_ERR_ARG, "bench album: no photo folder");
    pr_file_list all = {0};
    char **paths = NULL, **copies = NULL;
    int n = 0;
    const char *base = p->tmp_dir ? p->tmp_dir : getenv("TMPDIR");
    char *tmp = pr_path_join_new(base && base[0] ? base : "/tmp", "personrec-bench-XXXXXX");
    if (!tmp)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    if (!mkdtemp(tmp)) {
        pr_free(tmp);
        return pr_set_error(PR_ERR_IO, "cannot make a temporary folder");
    }
    pr_status st = pick_photos(p, &all, &paths, &n);
    if (st == PR_OK && p->size_mp > 0) {
        if (!(copies = pr_calloc((size_t)n, sizeof *copies)))
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        else
            st = prepare(p, tmp, paths, n, copies, r);
    } else if (st == PR_OK) {
        r->megapixels = mean_megapixels(paths, n);
    }
    r->photos = n;
    int counts[2] = {1, p->threads};
    for (int k = 0; st == PR_OK && k < (p->threads > 1 ? 2 : 1); k++) {
        st = run_once(p, tmp, counts[k], paths, n, &r->runs[k], &r->skipped);
        r->nruns = k + 1;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru); /* before the peer (a child, but keep it plain) */
    r->maxrss_kb = ru.ru_maxrss;
    if (st == PR_OK && p->peer_script && p->personrec)
        st = run_peer(p, tmp, paths, n, r);
    double load[1] = {0};
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &load[0]) != 1)
            load[0] = 0;
        fclose(f);
    }
    r->load_average = load[0];
    for (int i = 0; copies && i < n; i++)
        pr_free(copies[i]);
    pr_free(copies);
    pr_free(paths);
    pr_file_list_clear(&all);
    remove_tmp(tmp);
    pr_free(tmp);
    return st;
}

static double stage_total(const pr_describe_times *t)
{
    double s = 0;
    for (int k = 0; k < PR_STAGE_COUNT; k++)
        s += t->wall_ms[k];
    return s;
}

void pr_bench_album_print(FILE *f, const pr_bench_album_result *r)
{
    fprintf(f, "bench album: %d photos, %.2f MP mean", r->photos, r->megapixels);
    if (r->prepare_ms > 0)
        fprintf(f, " (resized copies, JPEG q90, made in %.1f s, not timed)", r->prepare_ms / 1e3);
    fprintf(f, "; %d skipped\n", r->skipped);
    fprintf(f, "%-11s", "stage");
    for (int k = 0; k < r->nruns; k++)
        fprintf(f, " | %2d thr: ms/photo  share  cpu ms", r->runs[k].threads);
    fprintf(f, "\n");
    for (int s = 0; s <= PR_STAGE_COUNT; s++) {
        fprintf(f, "%-11s", s < PR_STAGE_COUNT ? pr_describe_stage_name(s) : "total");
        for (int k = 0; k < r->nruns; k++) {
            const pr_describe_times *t = &r->runs[k].stages;
            double total = stage_total(t), wall = s < PR_STAGE_COUNT ? t->wall_ms[s] : total;
            double cpu = 0;
            for (int j = 0; j < PR_STAGE_COUNT; j++)
                cpu += s == PR_STAGE_COUNT || j == s ? t->cpu_ms[j] : 0;
            int np = r->photos > 0 ? r->photos : 1;
            fprintf(f, " | %16.1f %5.1f%% %7.1f", wall / np, total > 0 ? 100 * wall / total : 0,
                    cpu / np);
        }
        fprintf(f, "\n");
    }
    for (int k = 0; k < r->nruns; k++) {
        const pr_bench_album_run *run = &r->runs[k];
        fprintf(f, "%d thread%s: %.2f photos/s (%.1f ms/photo wall), CPU %.0f%% (process CPU "
                   "%.1f ms/photo), %ld faces\n",
                run->threads, run->threads == 1 ? "" : "s",
                run->wall_ms > 0 ? r->photos * 1e3 / run->wall_ms : 0,
                r->photos ? run->wall_ms / r->photos : 0,
                run->wall_ms > 0 ? 100 * run->cpu_ms / run->wall_ms : 0,
                r->photos ? run->cpu_ms / r->photos : 0, run->stages.faces);
    }
    fprintf(f, "peak memory %.1f MiB; load average %.2f at the end\n", r->maxrss_kb / 1024.0,
            r->load_average);
    if (r->peer)
        fprintf(f, "peer (face-api in node, 1 thread, decode not timed): %s\n", r->peer);
    else if (r->peer_note[0])
        fprintf(f, "peer: %s\n", r->peer_note);
}

pr_status pr_bench_album_json(FILE *f, const pr_bench_album_result *r)
{
    pr_json w = pr_json_begin(f, 2);
    pr_json_object(&w);
    pr_json_kv_int(&w, "photos", r->photos);
    pr_json_kv_int(&w, "skipped", r->skipped);
    pr_json_kv_num(&w, "megapixels", r->megapixels);
    pr_json_kv_num(&w, "prepare_ms", r->prepare_ms);
    pr_json_kv_int(&w, "maxrss_kb", r->maxrss_kb);
    pr_json_kv_num(&w, "load_average", r->load_average);
    if (r->peer)
        pr_json_kv_str(&w, "peer_json", r->peer);
    pr_json_key(&w, "runs");
    pr_json_array(&w);
    for (int k = 0; k < r->nruns; k++) {
        const pr_bench_album_run *run = &r->runs[k];
        pr_json_object(&w);
        pr_json_kv_int(&w, "threads", run->threads);
        pr_json_kv_num(&w, "wall_ms", run->wall_ms);
        pr_json_kv_num(&w, "cpu_ms", run->cpu_ms);
        pr_json_kv_num(&w, "photos_per_s", run->wall_ms > 0 ? r->photos * 1e3 / run->wall_ms : 0);
        pr_json_kv_int(&w, "faces", run->stages.faces);
        pr_json_key(&w, "stages");
        pr_json_object(&w);
        for (int s = 0; s < PR_STAGE_COUNT; s++) {
            pr_json_key(&w, pr_describe_stage_name(s));
            pr_json_object(&w);
            pr_json_kv_num(&w, "wall_ms", run->stages.wall_ms[s]);
            pr_json_kv_num(&w, "cpu_ms", run->stages.cpu_ms[s]);
            pr_json_end(&w);
        }
        pr_json_end(&w);
        pr_json_end(&w);
    }
    pr_json_end(&w);
    pr_json_end(&w);
    return pr_json_finish(&w);
}
