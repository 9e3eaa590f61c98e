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

/* The options most commands share, as entries of an option table: --config
 * FILE (@path a char *) and --db FILE. */
#define PS_CTL_CONFIG_ENTRY(path)                                                                  \
  {                                                                                                \
    "config", 'c', 0, G_OPTION_ARG_FILENAME, &(path), N_ ("Read this configuration file too"),     \
        N_ ("FILE")                                                                                \
  }
#define PS_CTL_DB_ENTRY(path)                                                                      \
  {                                                                                                \
    "db", 'd', 0, G_OPTION_ARG_FILENAME, &(path),                                                  \
        N_ ("The database (default: the configuration's)"), N_ ("FILE")                            \
  }

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

G_BEGIN_DECLS

typedef struct _PsConfig PsConfig;
typedef struct _PsStore PsStore;

/**
 * ps_ctl_open_store:
 * @db_path: (nullable): --db, else the configuration's database path
 * @config_path: (nullable): --config
 * @config: (out) (optional): the configuration
 *
 * Opens a database that exists; a missing one is an error, never created.
 */
PsStore *ps_ctl_open_store (const char *db_path, const char *config_path, PsConfig **config,
                            GError **error);
/** Opens an existing database without migrating it (db backup, db migrate). */
PsStore *ps_ctl_open_store_as_is (const char *db_path, const char *config_path, GError **error);
/** The same for the commands meant to create a database (user add, simulate). */
PsStore *ps_ctl_create_store (const char *db_path, const char *config_path, PsConfig **config,
                              GError **error);

/**
 * ps_ctl_read_pin:
 * Reads a PIN from the terminal without echo, or one line of standard input
 * when @from_stdin.
 */
char *ps_ctl_read_pin (const char *prompt, gboolean from_stdin, GError **error);

/* Prints @error's message on stderr. Returns: %PS_CTL_EXIT_FAILURE */
int ps_ctl_fail (GError *error);

int ps_ctl_user_add (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_user_list (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_user_passwd (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_user_disable (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_user_enable (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_user_unlock (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_audit_verify (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_db_check (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_db_backup (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_db_migrate (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_db_purge (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_simulate (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_devices_list (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_devices_watch (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_keys_generate (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_keys_show (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_forward (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_keys_sign (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_export (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_export_verify (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_watchlist_import (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_report_list (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_report_show (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_report_assess (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_report_handover (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_report_release (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_report_close (const PsCtlCommand *command, int argc, char **argv);
int ps_ctl_instructions_list (const PsCtlCommand *command, int argc, char **argv);

G_END_DECLS
