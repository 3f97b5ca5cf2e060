#define _DEFAULT_SOURCE
/* core/fileio: whole-file read with its size cap, the atomic write (content replaced, no temporary
 * file left, old content kept when the folder is gone, a symbolic link followed, the old file's
 * mode kept), stale temporary files of a killed writer removed, mkdir -p, and the FNV-1a file
 * hash. */
#include "core/alloc.h"
#include "core/fileio.h"
#include "tests/test.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

int main(void)
{
    char root[] = "/tmp/pr_fileio_XXXXXX";
    PR_CHECK(mkdtemp(root) != NULL);
    char dir[256], file[300];
    snprintf(dir, sizeof dir, "%s/a/b/c", root);
    PR_CHECK_OK(pr_mkdir_p(dir));
    PR_CHECK_OK(pr_mkdir_p(dir)); /* existing: fine */
    snprintf(file, sizeof file, "%s/x/y/z.txt", root);
    PR_CHECK_OK(pr_mkdir_parents(file));
    struct stat sb;
    snprintf(dir, sizeof dir, "%s/x/y", root);
    PR_CHECK(stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode));

    PR_CHECK_OK(pr_file_write_atomic(file, "hello", 5));
    PR_CHECK_OK(pr_file_write_atomic(file, "a,b\n", 4)); /* replaces */
    PR_CHECK(pr_file_exists(file));
    PR_CHECK(!pr_file_exists(dir)); /* a folder is not a file */
    PR_CHECK_EQ_INT(count_entries(dir), 1); /* no temporary file left behind */
    char *data = NULL;
    size_t size = 0;
    PR_CHECK_OK(pr_file_read_all(file, 0, &data, &size));
    PR_CHECK_EQ_INT(size, 4);
    PR_CHECK_STR(data, "a,b\n");
    pr_free(data);
    /* Exactly at the cap reads; one byte over is refused. */
    PR_CHECK_OK(pr_file_read_all(file, 4, &data, &size));
    pr_free(data);
    PR_CHECK_EQ_INT(pr_file_read_all(file, 3, &data, &size), PR_ERR_LIMIT);
    PR_CHECK(data == NULL);
    PR_CHECK_EQ_INT(pr_file_read_all("/nonexistent/file", 0, &data, &size), PR_ERR_IO);

    /* Empty content writes an empty file. */
    PR_CHECK_OK(pr_file_write_atomic(file, NULL, 0));
    PR_CHECK_OK(pr_file_read_all(file, 0, &data, &size));
    PR_CHECK_EQ_INT(size, 0);
    pr_free(data);

    /* A folder that does not exist: an error, nothing created. */
    char bad[320];
    snprintf(bad, sizeof bad, "%s/missing/f.txt", root);
    PR_CHECK_EQ_INT(pr_file_write_atomic(bad, "x", 1), PR_ERR_IO);
    /* A file where a folder should be. */
    snprintf(bad, sizeof bad, "%s/z.txt/sub", file);
    PR_CHECK_EQ_INT(pr_mkdir_p(bad), PR_ERR_IO);

    PR_CHECK_OK(pr_file_write_atomic(file, "a", 1));
    uint64_t h = 0;
    PR_CHECK_OK(pr_file_hash(file, &h));
    PR_CHECK(h == 0xaf63dc4c8601ec8cULL); /* FNV-1a 64("a"), the published test vector */
    PR_CHECK_OK(pr_file_write_atomic(file, NULL, 0));
    PR_CHECK_OK(pr_file_hash(file, &h));
    PR_CHECK(h == 0xcbf29ce484222325ULL); /* empty input: the offset basis */
    PR_CHECK_EQ_INT(pr_file_hash("/nonexistent/file", &h), PR_ERR_IO);

    /* Allocation failure inside the atomic write leaves the old content. */
    PR_CHECK_OK(pr_file_write_atomic(file, "old", 3));
    pr_alloc_fail_at(1);
    PR_CHECK_EQ_INT(pr_file_write_atomic(file, "new", 3), PR_ERR_NOMEM);
    pr_alloc_fail_at(0);
    PR_CHECK_OK(pr_file_read_all(file, 0, &data, &size));
    PR_CHECK_STR(data, "old");
    pr_free(data);

    /* A symbolic link: the file it points to gets the content, the link stays a link. */
    char target[320], link[320];
    snprintf(target, sizeof target, "%s/target.xmp", root);
    snprintf(link, sizeof link, "%s/x/link.xmp", root);
    PR_CHECK_OK(pr_file_write_atomic(target, "t0", 2));
    PR_CHECK(symlink(target, link) == 0);
    PR_CHECK_OK(pr_file_write_atomic(link, "t1", 2));
    struct stat lsb;
    PR_CHECK(lstat(link, &lsb) == 0 && S_ISLNK(lsb.st_mode));
    PR_CHECK_OK(pr_file_read_all(target, 0, &data, &size));
    PR_CHECK_STR(data, "t1");
    pr_free(data);
    /* The old file's mode is kept (a private sidecar stays private). */
    PR_CHECK(chmod(target, 0600) == 0);
    PR_CHECK_OK(pr_file_write_atomic(target, "t2", 2));
    PR_CHECK(stat(target, &sb) == 0 && (sb.st_mode & 07777) == 0600);
    PR_CHECK(chmod(target, 0640) == 0);
    PR_CHECK_OK(pr_file_write_atomic(link, "t3", 2));
    PR_CHECK(stat(target, &sb) == 0 && (sb.st_mode & 07777) == 0640);

    /* Leftovers of a killed writer are removed; those of a live process (ours) are not; other
     * files that merely look alike are never touched. */
    char t1[340], t2[340], t3[340], t4[340];
    snprintf(t1, sizeof t1, "%s/.personrec-tmp.999999999.abcdef", root); /* no such process */
    snprintf(t2, sizeof t2, "%s/.personrec-tmp.%ld.abcdef", root, (long)getpid());
    snprintf(t3, sizeof t3, "%s/.personrec-tmp.999999999.abc", root); /* not our pattern */
    snprintf(t4, sizeof t4, "%s/photo.jpg.xmp.tmp123", root);
    const char *const temps[] = {t1, t2, t3, t4};
    for (int i = 0; i < 4; i++) {
        int fd = open(temps[i], O_WRONLY | O_CREAT | O_TRUNC, 0600);
        PR_CHECK(fd >= 0);
        if (fd >= 0)
            close(fd);
    }
    PR_CHECK_EQ_INT(pr_file_remove_stale_temps(root), 1);
    PR_CHECK(access(t1, F_OK) != 0);
    PR_CHECK(access(t2, F_OK) == 0 && access(t3, F_OK) == 0 && access(t4, F_OK) == 0);
    PR_CHECK_EQ_INT(pr_file_remove_stale_temps("/nonexistent/dir"), 0);

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    PR_CHECK(system(cmd) == 0);
    return pr_test_finish();
}
