/* The album store's people: names (what every output can carry), assignments, and the
 * corrections of `personrec people` (rename, merge, move, split, forget). */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/store_internal.h"

#include "core/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pr_status pr_store_person_id(pr_store *s, const char *name, int64_t *person_id)
{
    sqlite3_stmt *q = NULL;
    pr_status st = store_prepare(s,
                                 "INSERT INTO people (name) VALUES (?) ON CONFLICT(name) DO UPDATE "
                                 "SET name = excluded.name RETURNING id",
                                 &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW)
        *person_id = sqlite3_column_int64(q, 0);
    else
        st = store_db_error(s, "adding a person");
    sqlite3_finalize(q);
    return st;
}

pr_status pr_store_assign(pr_store *s, int64_t face_id, int64_t person_id, double confidence,
                          pr_source source)
{
    sqlite3_stmt *q = NULL;
    /* The WHERE on the upsert keeps a stronger source's assignment. */
    pr_status st =
        store_prepare(s,
                      "INSERT INTO assignments (face_id, person_id, confidence, source) "
                      "VALUES (?, ?, ?, ?) ON CONFLICT(face_id) DO UPDATE SET "
                      "person_id = excluded.person_id, confidence = excluded.confidence, "
                      "source = excluded.source WHERE excluded.source >= "
                      "assignments.source",
                      &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_int64(q, 1, face_id);
    sqlite3_bind_int64(q, 2, person_id);
    sqlite3_bind_double(q, 3, confidence);
    sqlite3_bind_int(q, 4, (int)source);
    /* A seed or a correction changes what the clustering starts from: out of date, in the same
     * transaction (automatic results are the clustering's own). */
    int named = source != PR_SOURCE_AUTO;
    if (named && (st = store_exec(s, "SAVEPOINT assign")) != PR_OK) {
        sqlite3_finalize(q);
        return st;
    }
    if (sqlite3_step(q) != SQLITE_DONE)
        st = store_db_error(s, "assigning a face");
    else if (named && sqlite3_changes(s->db) > 0)
        st = store_mark_dirty(s);
    sqlite3_finalize(q);
    if (named && st == PR_OK)
        st = store_exec(s, "RELEASE assign");
    else if (named)
        store_exec(s, "ROLLBACK TO assign; RELEASE assign");
    return st;
}

pr_status pr_store_clear_auto(pr_store *s)
{
    /* Only the faces the clustering sees (pr_store_each_face's): it gives every one of them an
     * automatic person again, but a face of a photo that cannot be read now it cannot, and that
     * face would come back without the person_<number> people.csv showed for it. Kept, its number
     * also stays in use while it is hidden (pr_store_hidden_numbers). */
    pr_status st =
        store_exec(s, "DELETE FROM assignments WHERE source = 0 AND face_id IN " STORE_SEEN_FACES);
    if (st == PR_OK) /* people nobody is assigned to any more */
        st =
            store_exec(s, "DELETE FROM people WHERE id NOT IN (SELECT person_id FROM assignments)");
    return st;
}

/* Id of an existing person, 0 when there is none. */
static pr_status find_person(pr_store *s, const char *name, int64_t *id)
{
    *id = 0;
    sqlite3_stmt *q = NULL;
    pr_status st = store_prepare(s, "SELECT id FROM people WHERE name = ?", &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(q, 0);
    else if (rc != SQLITE_DONE)
        st = store_db_error(s, "finding a person");
    sqlite3_finalize(q);
    return st;
}

pr_status pr_store_check_name(const char *name)
{
    if (!name || !name[0])
        return pr_set_error(PR_ERR_ARG, "a person needs a non-empty name");
    size_t len = strlen(name);
    if (len > PR_STORE_NAME_MAX)
        return pr_set_error(PR_ERR_ARG, "'%.40s...': a name is at most %d bytes", name,
                            PR_STORE_NAME_MAX);
    if (name[0] == ' ' || name[len - 1] == ' ')
        return pr_set_error(PR_ERR_ARG, "'%s': a name cannot start or end with a space", name);
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        if (*c < 0x20 || *c == 0x7f)
            return pr_set_error(PR_ERR_ARG,
                                "a name cannot hold a control character (newline, carriage "
                                "return, tab...): .picasa.ini, people.csv and XMP sidecars could "
                                "not carry it");
        if (*c == ';')
            return pr_set_error(PR_ERR_ARG,
                                "'%s': a name cannot hold ';' (.picasa.ini separates its fields "
                                "with it)",
                                name);
    }
    /* Valid UTF-8 (XMP is UTF-8), without overlong forms or surrogates. */
    for (const unsigned char *c = (const unsigned char *)name; *c;) {
        int n = *c < 0x80             ? 0
                : (*c & 0xe0) == 0xc0 ? 1
                : (*c & 0xf0) == 0xe0 ? 2
                : (*c & 0xf8) == 0xf0 ? 3
                                      : -1;
        uint32_t cp = n == 0 ? *c : n == 1 ? *c & 0x1fu : n == 2 ? *c & 0x0fu : *c & 0x07u;
        int ok = n >= 0;
        for (int k = 1; ok && k <= n; k++) {
            ok = (c[k] & 0xc0) == 0x80;
            cp = (cp << 6) | (c[k] & 0x3fu);
        }
        static const uint32_t least[4] = {0, 0x80, 0x800, 0x10000};
        if (!ok || cp < least[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return pr_set_error(PR_ERR_ARG, "a name must be valid UTF-8 text");
        c += n + 1;
    }
    return PR_OK;
}

/* "person_<digits>": the names given to people nobody named (pipeline/people_store.c). */
int pr_store_is_auto_name(const char *name)
{
    if (strncmp(name, "person_", 7) != 0 || !name[7])
        return 0;
    for (const char *c = name + 7; *c; c++)
        if (*c < '0' || *c > '9')
            return 0;
    return 1;
}

/* A name a person may give to someone new: storable, and not one the clustering hands out. */
static pr_status check_new_name(const char *name)
{
    pr_status st = pr_store_check_name(name);
    if (st == PR_OK && pr_store_is_auto_name(name))
        st = pr_set_error(PR_ERR_ARG,
                          "'%s': names of the form person_<number> are kept for the people "
                          "nobody named yet; choose another name",
                          name);
    return st;
}

pr_status pr_store_rename_person(pr_store *s, const char *old_name, const char *new_name)
{
    pr_status st = check_new_name(new_name);
    if (st != PR_OK)
        return st;
    int64_t from = 0, to = 0;
    if (!old_name || (st = find_person(s, old_name, &from)) != PR_OK)
        return st != PR_OK ? st : pr_set_error(PR_ERR_ARG, "no person given");
    if (!from)
        return pr_set_error(PR_ERR_ARG, "no person named '%s'", old_name);
    if (strcmp(old_name, new_name) == 0)
        return PR_OK;
    if ((st = find_person(s, new_name, &to)) != PR_OK)
        return st;
    if (to)
        return pr_set_error(PR_ERR_ARG,
                            "there is already a person named '%s'; to make '%s' and '%s' one "
                            "person, use 'personrec people ALBUM merge \"%s\" \"%s\"'",
                            new_name, old_name, new_name, old_name, new_name);
    if ((st = store_exec(s, "SAVEPOINT rename")) != PR_OK)
        return st;
    sqlite3_stmt *q = NULL;
    if ((st = store_prepare(s, "UPDATE people SET name = ? WHERE id = ?", &q)) != PR_OK)
        goto fail;
    sqlite3_bind_text(q, 1, new_name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, from);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        st = store_db_error(s, "renaming a person");
        goto fail;
    }
    /* The person's faces are now named by a person: manual, so re-clustering keeps them (the ones
     * the person sees: a hidden face stays automatic, STORE_SEEN_FACES). */
    if ((st = store_exec_id(s,
                            "UPDATE assignments SET source = 2, confidence = 1 WHERE person_id = ? "
                            "AND face_id IN " STORE_SEEN_FACES,
                            from, "renaming a person")) != PR_OK ||
        (st = store_mark_dirty(s)) != PR_OK)
        goto fail;
    return store_exec(s, "RELEASE rename");
fail:
    store_exec(s, "ROLLBACK TO rename; RELEASE rename");
    return st;
}

pr_status pr_store_merge_people(pr_store *s, const char *from_name, const char *into_name)
{
    int64_t from = 0, to = 0;
    pr_status st = PR_OK;
    if (!from_name || !into_name)
        return pr_set_error(PR_ERR_ARG, "merge needs two people");
    if ((st = find_person(s, from_name, &from)) != PR_OK ||
        (st = find_person(s, into_name, &to)) != PR_OK)
        return st;
    if (!from)
        return pr_set_error(PR_ERR_ARG, "no person named '%s'", from_name);
    if (!to)
        return pr_set_error(PR_ERR_ARG,
                            "no person named '%s' to merge into; to give '%s' a new name, use "
                            "'personrec people ALBUM rename \"%s\" \"%s\"'",
                            into_name, from_name, from_name, into_name);
    if (from == to)
        return PR_OK;
    /* A name stored before names were checked (or read from a label file) gets no more faces
     * until it is renamed to one every writer can carry. */
    if ((st = pr_store_check_name(into_name)) != PR_OK) {
        char why[512];
        snprintf(why, sizeof why, "%s", pr_last_error()); /* the message buffer is reused */
        return pr_set_error(PR_ERR_ARG, "%s; rename that person first", why);
    }
    if ((st = store_exec(s, "SAVEPOINT merge")) != PR_OK)
        return st;
    /* Every face of both is now into_name's, and named by a person where the person sees it:
     * manual, so re-clustering keeps them (STORE_SEEN_FACES). */
    if ((st = store_exec_two_ids(s, "UPDATE assignments SET person_id = ? WHERE person_id = ?", to,
                                 from, "merging people")) != PR_OK ||
        (st = store_exec_id(s,
                            "UPDATE assignments SET source = 2, confidence = 1 WHERE person_id = ? "
                            "AND face_id IN " STORE_SEEN_FACES,
                            to, "merging people")) != PR_OK ||
        (st = store_exec_id(s, "DELETE FROM people WHERE id = ?", from, "merging people")) !=
            PR_OK ||
        (st = store_mark_dirty(s)) != PR_OK)
        goto fail;
    return store_exec(s, "RELEASE merge");
fail:
    store_exec(s, "ROLLBACK TO merge; RELEASE merge");
    return st;
}

/* PR_ERR_ARG when there is no such face; *forgotten (may be NULL) = 1 when it is forgotten. */
static pr_status face_exists(pr_store *s, int64_t face_id, int *forgotten)
{
    sqlite3_stmt *q = NULL;
    pr_status st = store_prepare(s, "SELECT ignored FROM faces WHERE id = ?", &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_int64(q, 1, face_id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW && forgotten)
        *forgotten = sqlite3_column_int(q, 0) != 0;
    sqlite3_finalize(q);
    if (rc == SQLITE_ROW)
        return PR_OK;
    if (rc == SQLITE_DONE)
        return pr_set_error(PR_ERR_ARG, "no face with id %lld", (long long)face_id);
    return store_db_error(s, "finding a face");
}

/* A forgotten face that a person moves, or splits off, to someone is a face again: the command
 * names the face and says who it is, the person's latest word (as manual beats every other
 * source), and it is the only way back for a face forgotten by mistake (a mistyped id): `people`
 * has no other. Refusing would leave such a face hidden for good; moving it and leaving it
 * forgotten would change nothing the outputs show. In the caller's savepoint. */
static pr_status unforget(pr_store *s, int64_t face_id)
{
    pr_status st = store_exec_id(s, "UPDATE faces SET ignored = 0 WHERE id = ? AND ignored <> 0",
                                 face_id, "bringing a forgotten face back");
    if (st == PR_OK && sqlite3_changes(s->db) > 0) /* a face the clustering did not see */
        st = store_mark_dirty(s);
    return st;
}

/* Id of the person to move faces to: an existing one (an unnamed person_<n> included) or a new
 * one under a name a person may give. */
static pr_status target_person(pr_store *s, const char *name, int64_t *pid)
{
    pr_status st = pr_store_check_name(name);
    if (st == PR_OK)
        st = find_person(s, name, pid);
    if (st == PR_OK && !*pid && (st = check_new_name(name)) == PR_OK)
        st = pr_store_person_id(s, name, pid);
    return st;
}

pr_status pr_store_move_face(pr_store *s, int64_t face_id, const char *person_name)
{
    pr_status st = face_exists(s, face_id, NULL);
    int64_t pid = 0;
    if (st != PR_OK || (st = store_exec(s, "SAVEPOINT move")) != PR_OK)
        return st;
    st = target_person(s, person_name, &pid);
    if (st == PR_OK)
        st = pr_store_assign(s, face_id, pid, 1.0, PR_SOURCE_MANUAL);
    if (st == PR_OK)
        st = unforget(s, face_id);
    if (st == PR_OK) /* the old person may be left without faces */
        st =
            store_exec(s, "DELETE FROM people WHERE id NOT IN (SELECT person_id FROM assignments)");
    if (st == PR_OK)
        return store_exec(s, "RELEASE move");
    store_exec(s, "ROLLBACK TO move; RELEASE move");
    return st;
}

/* The person's assignment of a face, 0 when the face is someone else's or nobody's. */
static pr_status face_person(pr_store *s, int64_t face_id, int64_t *person_id)
{
    *person_id = 0;
    sqlite3_stmt *q = NULL;
    pr_status st = store_prepare(s, "SELECT person_id FROM assignments WHERE face_id = ?", &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_int64(q, 1, face_id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *person_id = sqlite3_column_int64(q, 0);
    else if (rc != SQLITE_DONE)
        st = store_db_error(s, "finding a face's person");
    sqlite3_finalize(q);
    return st;
}

pr_status pr_store_split_person(pr_store *s, const char *person, const int64_t *face_ids,
                                size_t count, const char *new_name)
{
    int64_t from = 0, to = 0;
    pr_status st = PR_OK;
    if (!person || !new_name || !count)
        return pr_set_error(PR_ERR_ARG, "split needs a person, faces and a name");
    if ((st = find_person(s, person, &from)) != PR_OK)
        return st;
    if (!from)
        return pr_set_error(PR_ERR_ARG, "no person named '%s'", person);
    if (strcmp(person, new_name) == 0)
        return pr_set_error(PR_ERR_ARG, "'%s': the faces that leave a person need another name",
                            new_name);
    if ((st = store_exec(s, "SAVEPOINT split")) != PR_OK)
        return st;
    /* Only the person's own faces move: a mistyped id must not take someone else's. */
    for (size_t i = 0; st == PR_OK && i < count; i++) {
        int64_t owner = 0;
        int forgotten = 0;
        if ((st = face_exists(s, face_ids[i], &forgotten)) == PR_OK &&
            (st = face_person(s, face_ids[i], &owner)) == PR_OK && owner != from)
            st = forgotten ? pr_set_error(PR_ERR_ARG,
                                          "face %lld is forgotten, not one of %s's faces; to "
                                          "bring it back under a person, use 'personrec people "
                                          "ALBUM move %lld PERSON'",
                                          (long long)face_ids[i], person, (long long)face_ids[i])
                           : pr_set_error(PR_ERR_ARG, "face %lld is not one of %s's faces",
                                          (long long)face_ids[i], person);
    }
    if (st == PR_OK)
        st = target_person(s, new_name, &to);
    /* The faces that stay are the person's by the person's word now: without that, the next
     * clustering puts them back with the split faces (one cluster) and names them all new_name. */
    if (st == PR_OK)
        st = store_exec_id(s,
                           "UPDATE assignments SET source = 2, confidence = 1 WHERE person_id = ? "
                           "AND face_id IN " STORE_SEEN_FACES,
                           from, "splitting a person");
    if (st == PR_OK)
        st = store_mark_dirty(s);
    for (size_t i = 0; st == PR_OK && i < count; i++) /* a forgotten one comes back, as in move */
        if ((st = pr_store_assign(s, face_ids[i], to, 1.0, PR_SOURCE_MANUAL)) == PR_OK)
            st = unforget(s, face_ids[i]);
    if (st == PR_OK)
        st =
            store_exec(s, "DELETE FROM people WHERE id NOT IN (SELECT person_id FROM assignments)");
    if (st == PR_OK)
        return store_exec(s, "RELEASE split");
    store_exec(s, "ROLLBACK TO split; RELEASE split");
    return st;
}

pr_status pr_store_forget_face(pr_store *s, int64_t face_id)
{
    pr_status st = face_exists(s, face_id, NULL);
    if (st != PR_OK || (st = store_exec(s, "SAVEPOINT forget")) != PR_OK)
        return st;
    st =
        store_exec_id(s, "UPDATE faces SET ignored = 1 WHERE id = ?", face_id, "forgetting a face");
    if (st == PR_OK)
        st = store_exec_id(s, "DELETE FROM assignments WHERE face_id = ?", face_id,
                           "forgetting a face");
    if (st == PR_OK)
        st =
            store_exec(s, "DELETE FROM people WHERE id NOT IN (SELECT person_id FROM assignments)");
    if (st == PR_OK)
        st = store_mark_dirty(s);
    if (st == PR_OK)
        return store_exec(s, "RELEASE forget");
    store_exec(s, "ROLLBACK TO forget; RELEASE forget");
    return st;
}

pr_status pr_store_each_person(pr_store *s, pr_store_person_fn fn, void *ctx)
{
    sqlite3_stmt *q = NULL;
    pr_status st = store_prepare(s,
                                 "SELECT pe.id, pe.name, coalesce(sum(p.path NOT GLOB '@*'), 0), "
                                 "coalesce(sum(a.source = 2 AND p.path NOT GLOB '@*'), 0), "
                                 "coalesce(sum(a.source = 1 AND p.path NOT GLOB '@*'), 0), "
                                 "coalesce(sum(p.path GLOB '@*'), 0) "
                                 "FROM people pe LEFT JOIN (assignments a JOIN faces f ON "
                                 "f.id = a.face_id AND f.ignored = 0 JOIN photos p ON "
                                 "p.id = f.photo_id AND p.skip_reason IS NULL) ON "
                                 "a.person_id = pe.id "
                                 "GROUP BY pe.id ORDER BY pe.name",
                                 &q);
    if (st != PR_OK)
        return st;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        pr_store_person_row row;
        row.person_id = sqlite3_column_int64(q, 0);
        row.name = (const char *)sqlite3_column_text(q, 1);
        row.faces = sqlite3_column_int(q, 2);
        row.manual = sqlite3_column_int(q, 3);
        row.seed = sqlite3_column_int(q, 4);
        row.outside = sqlite3_column_int(q, 5);
        if (fn(ctx, &row))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = store_db_error(s, "reading people");
    sqlite3_finalize(q);
    return st;
}

pr_status pr_store_hidden_numbers(pr_store *s, int64_t **numbers, int *count)
{
    *numbers = NULL;
    *count = 0;
    sqlite3_stmt *q = NULL;
    pr_status st = store_prepare(s,
                                 "SELECT DISTINCT pe.name FROM assignments a JOIN faces f ON "
                                 "f.id = a.face_id JOIN photos p ON p.id = f.photo_id JOIN people "
                                 "pe ON pe.id = a.person_id WHERE (p.skip_reason IS NOT NULL OR "
                                 "f.ignored = 1) AND pe.name GLOB 'person_[0-9]*'",
                                 &q);
    if (st != PR_OK)
        return st;
    int rc, cap = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(q, 0);
        if (!name || !pr_store_is_auto_name(name)) /* GLOB lets "person_1x" through */
            continue;
        if (*count == cap) {
            cap = cap ? cap * 2 : 16;
            int64_t *grown = pr_realloc(*numbers, sizeof *grown * (size_t)cap);
            if (!grown) {
                st = pr_set_error(PR_ERR_NOMEM, "out of memory");
                break;
            }
            *numbers = grown;
        }
        (*numbers)[(*count)++] = strtoll(name + 7, NULL, 10);
    }
    if (st == PR_OK && rc != SQLITE_DONE)
        st = store_db_error(s, "reading the hidden faces' people");
    sqlite3_finalize(q);
    if (st != PR_OK) {
        pr_free(*numbers);
        *numbers = NULL;
        *count = 0;
    }
    return st;
}
