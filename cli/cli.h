/* The personrec command line: the command table and shared option parsing.
 *
 * Every subcommand lives in its own file cli/cmd_<name>.c and defines
 *     const pr_command pr_cmd_<name> = { "name", "summary", "usage text", run };
 * (two-word commands such as "eval detect" use the file cmd_eval_detect.c). cli/CMakeLists.txt
 * lists each command with the modules it needs and builds it only when they were built; main.c
 * lists it in its table. Exit statuses: 0 success, 1 a failing input (the file is named on
 * stderr), 2 a usage error. */
#ifndef PR_CLI_CLI_H
#define PR_CLI_CLI_H

#ifdef __cplusplus
extern "C" {
#endif

enum { PR_EXIT_OK = 0, PR_EXIT_FAIL = 1, PR_EXIT_USAGE = 2 };

typedef struct pr_command {
    const char *name;    /* "info" or "eval detect" */
    const char *summary; /* one line for `personrec --help` */
    const char *usage;   /* full help: usage line(s) then options, ends with a newline */
    int (*run)(int argc, char **argv); /* argv[0] is the command name; returns an exit status */
} pr_command;

typedef enum pr_opt_kind {
    PR_OPT_FLAG,   /* int*: set to 1 */
    PR_OPT_STRING, /* const char**: borrowed from argv */
    PR_OPT_INT,    /* int*: whole argument must be an integer */
    PR_OPT_DOUBLE, /* double*: whole argument must be a finite number */
} pr_opt_kind;

typedef struct pr_option {
    const char *name; /* long name without "--"; NULL ends the table */
    pr_opt_kind kind;
    void *value;
} pr_option;

/* Parses argv[1..argc) against opts (`--name value` and `--name=value`, `--` ends options,
 * `-h`/`--help` prints cmd->usage). An integer option named "threads" must be 1 to
 * PR_POOL_MAX_THREADS in every command (left alone it stays the caller's default, 0 = all cores). Positional arguments are moved, in order, to argv[1..*npos].
 * Returns -1 when help was printed (exit 0), PR_EXIT_USAGE after printing a one-line error and the
 * usage to stderr, 0 otherwise. */
int pr_cli_parse(const pr_command *cmd, int argc, char **argv, const pr_option *opts, int *npos);

/* pr_cli_parse plus the count of positional arguments (min_pos..max_pos; max_pos < 0 = no upper
 * bound), so a run() starts with
 *     int n, rc;
 *     if (pr_cli_args(&pr_cmd_x, argc, argv, opts, 1, 1, &n, &rc))
 *         return rc;
 * Returns 1 when the command must stop now with exit status *exit_code (help printed: 0; a usage
 * error printed: PR_EXIT_USAGE), 0 to go on with argv[1..*npos] the positional arguments. */
int pr_cli_args(const pr_command *cmd, int argc, char **argv, const pr_option *opts, int min_pos,
                int max_pos, int *npos, int *exit_code);

/* Prints "personrec <cmd>: <message>" and the usage to stderr; returns PR_EXIT_USAGE. */
int pr_cli_usage_error(const pr_command *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Prints "personrec: <what>: <pr_last_error()>" to stderr ("personrec: <message>" when the message
 * names <what> first already -- "<what>: ...", "<what>/x: ...", ".../<what>: ..." -- so a path
 * is never said twice). */
void pr_cli_report_error(const char *what);
/* The same with a message of the caller's (e.g. a photo's stored skip reason). */
void pr_cli_report_message(const char *what, const char *message);

/* Parses "cpu", "gpu", "auto" (device choice); returns -1 when the text is none of them. Same as
 * pr_device_parse (core/device.h), which new code should call. */
int pr_cli_parse_device(const char *text);

/* 1 when both paths exist and are one file (an output option naming the input photo itself:
 * writing it would replace the photo); else 0. */
int pr_cli_same_file(const char *a, const char *b);

#ifdef __cplusplus
}
#endif
#endif
