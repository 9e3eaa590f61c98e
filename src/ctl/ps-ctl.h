/* ps-ctl.h — parcelscreenctl, the command-line tool: commands and helpers. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of every command. */
#define PS_CTL_EXIT_OK      0
#define PS_CTL_EXIT_FAILURE 1
#define PS_CTL_EXIT_USAGE   2

typedef struct _PsCtlCommand PsCtlCommand;
typedef int (*PsCtlHandler) (const PsCtlCommand *command, int argc, char **argv);

struct _PsCtlCommand
{
  const char *group;
  const char *action;
  const char *parameters; /* for the usage line, e.g. "CODE…" */
  const char *summary;    /* marked for translation */
  PsCtlHandler handler;
};

/**
 * ps_ctl_main:
 * Runs parcelscreenctl with the program's arguments.
 * Returns: the exit status
 */
int ps_ctl_main (int argc, char **argv);

/**
 * ps_ctl_parse_options:
 * @command: the command being run
 * @entries: its options (may be %NULL)
 * @argc: (inout): argument count, the command's own arguments on return
 * @argv: (inout): arguments
 *
 * Parses the command's options with --help; prints a usage error on stderr.
 * Returns: %TRUE, or %FALSE on a usage error (exit with %PS_CTL_EXIT_USAGE)
 */
gboolean ps_ctl_parse_options (const PsCtlCommand *command, const GOptionEntry *entries, int *argc,
                               char ***argv);

/* Command handlers. */
int ps_ctl_tracking_check (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_config_show (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_config_check (const PsCtlCommand *command, int argc, char **argv);

G_END_DECLS
