/* personrec: dispatches to the subcommands listed below and in cli/CMakeLists.txt (cli/cmd_*.c). */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

/* Every command, in the order of `personrec --help`. Each is compiled in when cli/CMakeLists.txt
 * found the modules it needs (PR_CMD_<NAME>); declaring the others costs nothing. */
extern const pr_command pr_cmd_bench_album;
extern const pr_command pr_cmd_bench_segment;
extern const pr_command pr_cmd_body;
extern const pr_command pr_cmd_cluster;
extern const pr_command pr_cmd_detect;
extern const pr_command pr_cmd_eval_cluster;
extern const pr_command pr_cmd_eval_detect;
extern const pr_command pr_cmd_eval_eigenfaces;
extern const pr_command pr_cmd_eval_naming;
extern const pr_command pr_cmd_eval_pairs;
extern const pr_command pr_cmd_eval_segment;
extern const pr_command pr_cmd_features;
extern const pr_command pr_cmd_info;
extern const pr_command pr_cmd_label;
extern const pr_command pr_cmd_people;
extern const pr_command pr_cmd_segment;

static const pr_command *const commands[] = {
#if PR_CMD_BENCH_ALBUM
    &pr_cmd_bench_album,
#endif
#if PR_CMD_BENCH_SEGMENT
    &pr_cmd_bench_segment,
#endif
#if PR_CMD_BODY
    &pr_cmd_body,
#endif
#if PR_CMD_CLUSTER
    &pr_cmd_cluster,
#endif
#if PR_CMD_DETECT
    &pr_cmd_detect,
#endif
#if PR_CMD_EVAL_CLUSTER
    &pr_cmd_eval_cluster,
#endif
#if PR_CMD_EVAL_DETECT
    &pr_cmd_eval_detect,
#endif
#if PR_CMD_EVAL_EIGENFACES
    &pr_cmd_eval_eigenfaces,
#endif
#if PR_CMD_EVAL_NAMING
    &pr_cmd_eval_naming,
#endif
#if PR_CMD_EVAL_PAIRS
    &pr_cmd_eval_pairs,
#endif
#if PR_CMD_EVAL_SEGMENT
    &pr_cmd_eval_segment,
#endif
#if PR_CMD_FEATURES
    &pr_cmd_features,
#endif
#if PR_CMD_INFO
    &pr_cmd_info,
#endif
#if PR_CMD_LABEL
    &pr_cmd_label,
#endif
#if PR_CMD_PEOPLE
    &pr_cmd_people,
#endif
#if PR_CMD_SEGMENT
    &pr_cmd_segment,
#endif
};
enum { N_COMMANDS = sizeof commands / sizeof commands[0] };

/* Length of the first word of a command name ("eval" in "eval detect"). */
static size_t group_length(const char *name)
{
    const char *space = strchr(name, ' ');
    return space ? (size_t)(space - name) : strlen(name);
}

static void print_commands(FILE *out, const char *group)
{
    for (int i = 0; i < N_COMMANDS; i++) {
        const char *name = commands[i]->name;
        if (group && (group_length(name) != strlen(group) || strncmp(name, group, strlen(group)) != 0))
            continue;
        fprintf(out, "  %-16s %s\n", name, commands[i]->summary);
    }
}

static void print_help(FILE *out)
{
    fprintf(out,
            "personrec %s: finds the people in photo albums and says who is who\n\n"
            "usage: personrec <command> [options] [arguments]\n"
            "       personrec <command> --help\n"
            "       personrec --version\n\n"
            "commands:\n",
            PR_VERSION);
    print_commands(out, NULL);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "personrec: missing command\n");
        print_help(stderr);
        return PR_EXIT_USAGE;
    }
    const char *word = argv[1];
    if (strcmp(word, "--help") == 0 || strcmp(word, "-h") == 0 || strcmp(word, "help") == 0) {
        print_help(stdout);
        return PR_EXIT_OK;
    }
    if (strcmp(word, "--version") == 0) {
        printf("personrec %s\n", PR_VERSION);
        return PR_EXIT_OK;
    }
    /* Two-word commands first ("eval detect"), then one-word ones. */
    int is_group = 0;
    for (int i = 0; i < N_COMMANDS; i++) {
        const char *name = commands[i]->name;
        size_t g = group_length(name);
        if (name[g] == ' ' && strlen(word) == g && strncmp(name, word, g) == 0) {
            is_group = 1;
            if (argc >= 3 && strcmp(name + g + 1, argv[2]) == 0)
                return commands[i]->run(argc - 2, argv + 2);
        } else if (name[g] == '\0' && strcmp(name, word) == 0) {
            return commands[i]->run(argc - 1, argv + 1);
        }
    }
    if (is_group) {
        int asked_help = argc >= 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0);
        FILE *out = asked_help ? stdout : stderr;
        if (!asked_help)
            fprintf(stderr, argc >= 3 ? "personrec %s: unknown subcommand '%s'\n"
                                      : "personrec %s: missing subcommand%s\n",
                    word, argc >= 3 ? argv[2] : "");
        fprintf(out, "usage: personrec %s <subcommand> [options]\n\nsubcommands:\n", word);
        print_commands(out, word);
        return asked_help ? PR_EXIT_OK : PR_EXIT_USAGE;
    }
    fprintf(stderr, "personrec: unknown command '%s' (see personrec --help)\n", word);
    return PR_EXIT_USAGE;
}
