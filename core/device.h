/* The one device choice for every CPU/GPU dispatcher: "auto" uses the GPU when one is usable,
 * else the CPU; "cpu" always the C reference; "gpu" the GPU or an error. */
#ifndef PR_CORE_DEVICE_H
#define PR_CORE_DEVICE_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pr_device { PR_DEVICE_AUTO = 0, PR_DEVICE_CPU = 1, PR_DEVICE_GPU = 2 } pr_device;

/* "auto", "cpu", "gpu" (exact, lower case) -> the device; -1 when the text is none of them or
 * NULL. */
int pr_device_parse(const char *text);
/* "auto", "cpu", "gpu"; "?" for a value outside the enum. */
const char *pr_device_name(pr_device device);

#ifdef __cplusplus
}
#endif
#endif
