#define _POSIX_C_SOURCE 200809L
#include "core/progress.h"

#include "core/alloc.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct pr_progress {
    char label[64];
    char unit[32];
    long total;
    long done;
    int bar;   /* draw the bar */
    int quiet; /* print nothing */
    double start;
    double last_draw;
    pthread_mutex_t lock;
};

pr_status pr_progress_new(const char *label, const char *unit, long total, pr_progress_mode mode,
                          pr_progress **out)
{
    *out = NULL;
    pr_progress *p = pr_calloc(1, sizeof *p);
    if (!p)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    snprintf(p->label, sizeof p->label, "%s", label ? label : "");
    snprintf(p->unit, sizeof p->unit, "%s", unit ? unit : "items");
    p->total = total;
    p->quiet = mode == PR_PROGRESS_QUIET;
    p->bar = mode == PR_PROGRESS_BAR || (mode == PR_PROGRESS_AUTO && isatty(STDERR_FILENO));
    p->start = pr_now_seconds();
    pthread_mutex_init(&p->lock, NULL);
    *out = p;
    return PR_OK;
}

static void format_eta(double seconds, char *buf, size_t size)
{
    long s = (long)(seconds + 0.5);
    if (s >= 3600)
        snprintf(buf, size, "%ldh%02ldm", s / 3600, (s / 60) % 60);
    else
        snprintf(buf, size, "%ldm%02lds", s / 60, s % 60);
}

static void draw(pr_progress *p, double now)
{
    double elapsed = now - p->start;
    double rate = elapsed > 0 ? (double)p->done / elapsed : 0.0;
    if (p->total > 0) {
        enum { WIDTH = 30 };
        int filled = (int)((double)WIDTH * (double)p->done / (double)p->total);
        if (filled > WIDTH)
            filled = WIDTH;
        char bar[WIDTH + 1];
        memset(bar, '#', (size_t)filled);
        memset(bar + filled, '.', (size_t)(WIDTH - filled));
        bar[WIDTH] = '\0';
        char eta[32] = "?";
        if (rate > 0)
            format_eta((double)(p->total - p->done) / rate, eta, sizeof eta);
        fprintf(stderr, "\r%s [%s] %ld/%ld %s %.1f/s ETA %s ", p->label, bar, p->done, p->total,
                p->unit, rate, eta);
    } else {
        fprintf(stderr, "\r%s %ld %s %.1f/s ", p->label, p->done, p->unit, rate);
    }
    fflush(stderr);
    p->last_draw = now;
}

void pr_progress_step(pr_progress *p, long done_delta)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->done += done_delta;
    if (p->bar) {
        double now = pr_now_seconds();
        if (now - p->last_draw >= 0.1 || p->done == p->total)
            draw(p, now);
    }
    pthread_mutex_unlock(&p->lock);
}

void pr_progress_delete(pr_progress *p)
{
    if (!p)
        return;
    if (!p->quiet) {
        double elapsed = pr_now_seconds() - p->start;
        if (p->bar)
            fprintf(stderr, "\r\033[K");
        fprintf(stderr, "%s: %ld %s in %.2f s (%.1f %s/s)\n", p->label, p->done, p->unit, elapsed,
                elapsed > 0 ? (double)p->done / elapsed : 0.0, p->unit);
    }
    pthread_mutex_destroy(&p->lock);
    pr_free(p);
}
