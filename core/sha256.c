#include "core/sha256.h"

#include <nettle/sha2.h>

void pr_sha256(const void *data, size_t size, uint8_t out[32])
{
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, size, (const uint8_t *)data);
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
}

void pr_sha256_hex(const void *data, size_t size, char out[65])
{
    static const char digits[] = "0123456789abcdef";
    uint8_t d[32];
    pr_sha256(data, size, d);
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[64] = '\0';
}
