/* personrec people ALBUM ...: list the people of a labelled album and correct them. */
#include "pipeline/album.h"
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/fileio.h"
#include "core/path.h"
#include "pipeline/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_people = {
    "people",
    "list the people of a labelled album and correct them (rename, merge, split, move, forget)",
    "usage: personrec people ALBUM list [--faces]\n"
    "       personrec people ALBUM rename OLD NEW\n"
    "       personrec people ALBUM merge A B          (A's faces join B; both exist)\n"
    "       personrec people ALBUM split PERSON --faces ID,ID,... [--name NEW]\n"
    "       personrec people ALBUM move FACE PERSON\n"
    "       personrec people ALBUM forget FACE\n"
    "\n"
    "Corrections are recorded as manual: every later 'personrec label' run keeps them, and uses\n"
    "them as seeds for naming the other faces. 'rename' onto a name that exists is refused (use\n"
    "'merge'); after 'split' the faces that stay keep PERSON. 'forget' hides a face from every\n"
    "output; 'move' of a forgotten face brings it back under PERSON. Names are UTF-8 text without\n"
    "control characters (newline, tab) or ';', not person_<number> (the unnamed). Face ids are\n"
    "shown by 'list --faces' and in the HTML report. The album must have been labelled first.\n"
    "\n"
    "options:\n"
    "  --faces LIST   list: show every face; split: the face ids that leave PERSON\n"
    "  --name NEW     split: the name of the new person (default PERSON-2)\n"
    "  --out DIR      the folder given to 'label --out'\n"
    "  --db FILE      the store (default ALBUM/.personrec/album.db)\n",
    run,
};

static int print_person(void *ctx, const pr_store_person_row *r)
{
    (void)ctx;
    printf("%-32s %5d faces  (%d manual, %d seed", r->name, r->faces, r->manual, r->seed);
    if (r->outside) /* the seeds of --known photos: why a person with no album face is listed */
        printf(", %d in --known photos", r->outside);
    printf(")\n");
    return 0;
}

static int print_face(void *ctx, const pr_store_face_row *r)
{
    (void)ctx;
    if (strncmp(r->path, "@known/", 7) == 0)
        return 0;
    /* One line of five tab-separated fields per face: a tab or newline in a file name would
     * split it, and an escape sequence would drive the terminal; shown as '?', as in the
     * problem lines (pr_report_problem). */
    printf("%lld\t", (long long)r->face_id);
    for (const unsigned char *c = (const unsigned char *)r->path; *c; c++)
        putchar(*c < 0x20 || *c == 0x7f ? '?' : *c);
    printf("\t%.0f,%.0f,%.0f,%.0f\t%s\t%s\n", r->box.x, r->box.y, r->box.w, r->box.h,
           r->person ? r->person : "-", r->person ? pr_source_name(r->source) : "-");
    return 0;
}

static int parse_id(const char *text, int64_t *id)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    /* out of range: strtoll gives LLONG_MAX, which a message would then name instead */
    if (!end || end == text || *end || v <= 0 || errno == ERANGE)
        return 0;
    *id = v;
    return 1;
}

/* split PERSON --faces ID,... [--name NEW]: only PERSON's faces move, all or none. */
static pr_status split_faces(pr_store *store, const char *person, const char *faces,
                             const char *name)
{
    char fallback[512];
    /* PERSON-2 is a name derived from the one a person gave; person_<n>-2 would be a made-up
     * name written to every sidecar as if someone had given it. */
    if (!name && pr_store_is_auto_name(person))
        return pr_set_error(PR_ERR_ARG,
                            "%s has no name yet: give the faces that leave it one with --name",
                            person);
    if (!name && snprintf(fallback, sizeof fallback, "%s-2", person) >= (int)sizeof fallback)
        return pr_set_error(PR_ERR_ARG, "give the new person a name with --name");
    const char *to = name ? name : fallback;
    size_t cap = strlen(faces) / 2 + 1, n = 0;
    int64_t *ids = pr_malloc_array(cap, sizeof *ids);
    if (!ids)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    pr_status st = PR_OK;
    for (const char *s = faces; *s;) {
        char item[32];
        size_t len = strcspn(s, ",");
        if (len == 0 || len >= sizeof item || n == cap ||
            (memcpy(item, s, len), item[len] = '\0', 0) || !parse_id(item, &ids[n])) {
            st = pr_set_error(PR_ERR_ARG, "--faces: '%.*s' is not a face id", (int)len, s);
            break;
        }
        n++;
        s += len + (s[len] == ',');
    }
    if (st == PR_OK)
        st = pr_store_split_person(store, person, ids, n, to);
    pr_free(ids);
    return st;
}

/* One action on the open store; a correction is then marked for re-clustering and people.csv
 * follows it at once (sidecars on the next label run). */
static pr_status apply(pr_store *store, char **argv, int64_t face, int list_faces,
                       const char *faces, const char *name, const char *out_dir)
{
    const char *action = argv[2];
    pr_status st;
    if (strcmp(action, "list") == 0)
        return list_faces ? pr_store_each_face(store, print_face, NULL)
                          : pr_store_each_person(store, print_person, NULL);
    if (strcmp(action, "rename") == 0) /* onto an existing name: refused, that is a merge */
        st = pr_store_rename_person(store, argv[3], argv[4]);
    else if (strcmp(action, "merge") == 0) /* into a missing person: refused, that is a rename */
        st = pr_store_merge_people(store, argv[3], argv[4]);
    else if (strcmp(action, "split") == 0)
        st = split_faces(store, argv[3], faces, name);
    else if (strcmp(action, "move") == 0)
        st = pr_store_move_face(store, face, argv[4]);
    else
        st = pr_store_forget_face(store, face);
    /* each correction marks the clustering out of date in its own transaction (store.h) */
    char *csv = st == PR_OK ? pr_path_join_new(out_dir, "people.csv") : NULL;
    if (st == PR_OK && !csv)
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
    if (st == PR_OK)
        st = pr_album_write_csv(store, csv, 1);
    pr_free(csv);
    return st;
}

static int run(int argc, char **argv)
{
    const char *faces = NULL, *name = NULL, *out = NULL, *db = NULL;
    int list_faces = 0;
    /* "--faces" is a flag for list and takes a value for split: look before parsing. */
    int is_list = argc > 2 && strcmp(argv[2], "list") == 0;
    const pr_option opts_list[] = {
        {"faces", PR_OPT_FLAG, &list_faces},
        {"out", PR_OPT_STRING, &out},
        {"db", PR_OPT_STRING, &db},
        {NULL, PR_OPT_FLAG, NULL},
    };
    const pr_option opts[] = {
        {"faces", PR_OPT_STRING, &faces},
        {"name", PR_OPT_STRING, &name},
        {"out", PR_OPT_STRING, &out},
        {"db", PR_OPT_STRING, &db},
        {NULL, PR_OPT_FLAG, NULL},
    };
    int n = 0;
    int rc = pr_cli_parse(&pr_cmd_people, argc, argv, is_list ? opts_list : opts, &n);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (n < 2)
        return pr_cli_usage_error(&pr_cmd_people, "need ALBUM and an action");
    const char *album = argv[1], *action = argv[2];
    int want = strcmp(action, "list") == 0     ? 2
               : strcmp(action, "rename") == 0 ? 4
               : strcmp(action, "merge") == 0  ? 4
               : strcmp(action, "split") == 0  ? 3
               : strcmp(action, "move") == 0   ? 4
               : strcmp(action, "forget") == 0 ? 3
                                               : -1;
    if (want < 0)
        return pr_cli_usage_error(&pr_cmd_people, "unknown action '%s'", action);
    if (n != want)
        return pr_cli_usage_error(&pr_cmd_people, "wrong number of arguments for '%s'", action);
    if (strcmp(action, "split") == 0 && (!faces || !faces[0]))
        return pr_cli_usage_error(&pr_cmd_people, "split needs --faces ID,ID,...");
    int64_t face = 0;
    if ((strcmp(action, "move") == 0 || strcmp(action, "forget") == 0) && !parse_id(argv[3], &face))
        return pr_cli_usage_error(&pr_cmd_people, "'%s' is not a face id", argv[3]);

    pr_album_params p = pr_album_params_default();
    p.album = album;
    p.out = out;
    p.db = db;
    char *db_path = NULL, *out_dir = NULL;
    pr_store *store = NULL;
    int status = PR_EXIT_FAIL;
    pr_status st = pr_album_paths(&p, &db_path, &out_dir);
    if (st == PR_OK && !pr_file_exists(db_path)) /* never create a store here */
        st = pr_set_error(PR_ERR_IO, "%s: no labelled album here (run 'personrec label %s')",
                          db_path, album);
    if (st == PR_OK)
        st = pr_store_open(db_path, &store);
    if (st == PR_OK)
        st = apply(store, argv, face, list_faces, faces, name, out_dir);
    if (st != PR_OK) {
        pr_cli_report_error(album);
        goto done;
    }
    if (strcmp(action, "forget") == 0) /* nothing lists forgotten faces: say the way back now */
        printf("face %lld forgotten: hidden from every output; 'personrec people %s move %lld "
               "PERSON' brings it back\n",
               (long long)face, album, (long long)face);
    status = PR_EXIT_OK;
done:
    pr_store_close(store);
    pr_free(db_path);
    pr_free(out_dir);
    return status;
}
