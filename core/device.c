/* Device names (see device.h). */
#include "core/device.h"

#include <string.h>

int pr_device_parse(const char *text)
{
    if (!text)
        return -1;
    if (strcmp(text, "auto") == 0)
        return PR_DEVICE_AUTO;
    if (strcmp(text, "cpu") == 0)
        return PR_DEVICE_CPU;
    if (strcmp(text, "gpu") == 0)
        return PR_DEVICE_GPU;
    return -1;
}

const char *pr_device_name(pr_device device)
{
    switch (device) {
    case PR_DEVICE_AUTO: return "auto";
    case PR_DEVICE_CPU: return "cpu";
    case PR_DEVICE_GPU: return "gpu";
    }
    return "?";
}
