/* Little-endian byte buffers for the features module's versioned binary formats (eigenface
 * models, pr_person blobs). Writing grows a pr_malloc buffer; reading never runs past the end. */
#ifndef PR_FEATURES_BYTES_INTERNAL_H
#define PR_FEATURES_BYTES_INTERNAL_H

#include "core/alloc.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct pr_wbuf {
    uint8_t *data;
    size_t size, cap;
    int failed; /* sticky: an allocation failed */
} pr_wbuf;

static inline void pr_wbuf_put(pr_wbuf *b, const void *src, size_t n)
{
    if (b->failed)
        return;
    if (b->size + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->size + n)
            cap *= 2;
        uint8_t *p = (uint8_t *)pr_realloc(b->data, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->size, src, n);
    b->size += n;
}

static inline void pr_wbuf_u32(pr_wbuf *b, uint32_t v)
{
    uint8_t t[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    pr_wbuf_put(b, t, 4);
}

static inline void pr_wbuf_i32(pr_wbuf *b, int32_t v) { pr_wbuf_u32(b, (uint32_t)v); }

static inline void pr_wbuf_f32(pr_wbuf *b, float v)
{
    uint32_t u;
    memcpy(&u, &v, 4);
    pr_wbuf_u32(b, u);
}

static inline void pr_wbuf_f64(pr_wbuf *b, double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    pr_wbuf_u32(b, (uint32_t)u);
    pr_wbuf_u32(b, (uint32_t)(u >> 32));
}

typedef struct pr_rbuf {
    const uint8_t *data;
    size_t size, pos;
    int failed; /* sticky: read past the end */
} pr_rbuf;

static inline int pr_rbuf_get(pr_rbuf *b, void *dst, size_t n)
{
    if (b->failed || n > b->size - b->pos) {
        b->failed = 1;
        memset(dst, 0, n);
        return 0;
    }
    memcpy(dst, b->data + b->pos, n);
    b->pos += n;
    return 1;
}

static inline uint32_t pr_rbuf_u32(pr_rbuf *b)
{
    uint8_t t[4];
    pr_rbuf_get(b, t, 4);
    return (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
}

static inline int32_t pr_rbuf_i32(pr_rbuf *b) { return (int32_t)pr_rbuf_u32(b); }

static inline float pr_rbuf_f32(pr_rbuf *b)
{
    uint32_t u = pr_rbuf_u32(b);
    float v;
    memcpy(&v, &u, 4);
    return v;
}

static inline double pr_rbuf_f64(pr_rbuf *b)
{
    uint64_t lo = pr_rbuf_u32(b), hi = pr_rbuf_u32(b);
    uint64_t u = lo | hi << 32;
    double v;
    memcpy(&v, &u, 8);
    return v;
}

#endif
