/* EXIF Orientation and DateTimeOriginal through libexif. Broken EXIF never fails a load: the
 * photo's pixels are still good, so we fall back to "upright, no time". */
#include "core/image_internal.h"

#include <string.h>

#ifdef PR_HAVE_EXIF
#include <libexif/exif-data.h>

static int valid_datetime(const char *s)
{
    /* "YYYY:MM:DD HH:MM:SS"; cameras write "0000:00:00 00:00:00" or blanks when unset. */
    if (strlen(s) != 19 || s[4] != ':' || s[7] != ':' || s[10] != ' ' || s[13] != ':' ||
        s[16] != ':')
        return 0;
    for (int i = 0; i < 19; i++)
        if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 && (s[i] < '0' || s[i] > '9'))
            return 0;
    return strncmp(s, "0000", 4) != 0;
}

void pr_exif_read(const uint8_t *bytes, size_t size, int *orientation, char datetime[20],
                  int *has_datetime)
{
    *orientation = 1;
    *has_datetime = 0;
    datetime[0] = '\0';
    if (size > 0xFFFF + 2)
        return;
    ExifData *ed = exif_data_new();
    if (!ed)
        return;
    exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
    exif_data_load_data(ed, bytes, (unsigned int)size);
    ExifByteOrder order = exif_data_get_byte_order(ed);
    ExifEntry *e = exif_content_get_entry(ed->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
    if (e && e->format == EXIF_FORMAT_SHORT && e->components >= 1 && e->size >= 2) {
        int v = exif_get_short(e->data, order);
        if (v >= 1 && v <= 8)
            *orientation = v;
    }
    e = exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF], EXIF_TAG_DATE_TIME_ORIGINAL);
    if (e && e->format == EXIF_FORMAT_ASCII && e->size >= 19) {
        char buf[20];
        memcpy(buf, e->data, 19);
        buf[19] = '\0';
        if (valid_datetime(buf)) {
            memcpy(datetime, buf, 20);
            *has_datetime = 1;
        }
    }
    exif_data_unref(ed);
}

#else

void pr_exif_read(const uint8_t *bytes, size_t size, int *orientation, char datetime[20],
                  int *has_datetime)
{
    (void)bytes, (void)size;
    *orientation = 1;
    *has_datetime = 0;
    datetime[0] = '\0';
}
#endif
