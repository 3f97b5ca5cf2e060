/* SHA-256 of a byte buffer (nettle), for checking downloaded model files against known hashes. */
#ifndef PR_CORE_SHA256_H
#define PR_CORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Digest of size bytes at data into out[32]. */
void pr_sha256(const void *data, size_t size, uint8_t out[32]);
/* The same as 64 lower-case hex digits plus NUL. */
void pr_sha256_hex(const void *data, size_t size, char out[65]);

#ifdef __cplusplus
}
#endif
#endif
