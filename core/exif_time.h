/* EXIF date-time text ("YYYY:MM:DD HH:MM:SS", DateTimeOriginal) to seconds since 1970-01-01 in
 * the proleptic Gregorian calendar, local time taken as UTC (EXIF has no zone; only differences
 * between photos matter). */
#ifndef PR_CORE_EXIF_TIME_H
#define PR_CORE_EXIF_TIME_H

#ifdef __cplusplus
extern "C" {
#endif

/* 0 and *seconds when text is a valid EXIF time (nothing after the seconds), -1 otherwise
 * (including NULL arguments and the "0000:00:00 00:00:00" of cameras without a clock). */
int pr_exif_time_seconds(const char *text, double *seconds);

#ifdef __cplusplus
}
#endif
#endif
