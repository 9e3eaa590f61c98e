/* ps-ctl-relay.c — parcelscreenctl keys and forward: the counter's signing
 * key, and the delivery of the outbox to the police receiver (a systemd
 * service runs "forward --watch"). */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "ps-data-files.h"
#include "ps-export.h"
#include "ps-relay.h"
#include "parcelscreen/ps-rules.h"
#include "ps-ctl.h"

static const char *
key_path (const PsConfig *config, const char *given)
{
  return given != NULL ? given : ps_config_get_string (config, "relay", "signing-key");
}

int
ps_ctl_keys_generate (const PsCtlCommand *command, int argc, char **argv)
{
  g_autofree char *config_path = NULL;
  g_autofree char *path = NULL;
  const GOptionEntry entries[] = {
    PS_CTL_CONFIG_ENTRY (config_path),
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &path,
      N_ ("Write the key here (default: [relay] signing-key)"), N_ ("FILE") },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;

  if (!ps_ctl_parse_options (command, entries, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  g_autoptr (PsConfig) config = ps_config_load (config_path, &error);
  if (config == NULL)
    return ps_ctl_fail (error);
  const char *target = key_path (config, path);
  if (!ps_signing_key_generate (target, &error))
    return ps_ctl_fail (error);
  g_autoptr (PsSigningKey) key = ps_signing_key_load (target, &error);
  if (key == NULL)
    return ps_ctl_fail (error);
  printf (_ ("A new signing key is in %s (readable by you only).\n"), target);
  printf (_ ("Its public part, for the police:\n%s\n"), ps_signing_key_public (key));
  return PS_CTL_EXIT_OK;
}

int
ps_ctl_keys_show (const PsCtlCommand *command, int argc, char **argv)
{
  g_autofree char *config_path = NULL;
  g_autofree char *path = NULL;
  gboolean public_only = FALSE;
  const GOptionEntry entries[] = {
    PS_CTL_CONFIG_ENTRY (config_path),
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &path,
      N_ ("The key file (default: [relay] signing-key)"), N_ ("FILE") },
    { "public", 0, 0, G_OPTION_ARG_NONE, &public_only,
      N_ ("Print the public key alone (a public key file)"), NULL },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;

  if (!ps_ctl_parse_options (command, entries, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  g_autoptr (PsConfig) config = ps_config_load (config_path, &error);
  if (config == NULL)
    return ps_ctl_fail (error);
  g_autoptr (PsSigningKey) key = ps_signing_key_load (key_path (config, path), &error);
  if (key == NULL)
    return ps_ctl_fail (error);
  const char *public_key = ps_signing_key_public (key);
  if (public_only)
    {
      printf ("%s\n", public_key);
      return PS_CTL_EXIT_OK;
    }
  g_autofree char *fingerprint = g_compute_checksum_for_string (G_CHECKSUM_SHA256, public_key, -1);
  printf (_ ("Public key: %s\n"), public_key);
  printf (_ ("Fingerprint (SHA-256 of the key text): %s\n"), fingerprint);
  return PS_CTL_EXIT_OK;
}

static gboolean
stop_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_CONTINUE;
}

/* One forwarding job on a thread of its own, so that the main thread can
 * wait for SIGTERM and SIGINT and cancel it: a pass (--once) or a watch. */
typedef struct
{
  PsForwarder *forwarder;
  GCancellable *cancellable;
  guint poll_ms;
  gboolean once;
  PsForwardResult result;
  GError *error;
  guint instructions;        /* --once: the police's instructions fetched */
  GError *instruction_error; /* --once: why they could not be */
  gboolean finished;
} ForwardJob;

static gpointer
forward_thread (gpointer data)
{
  ForwardJob *job = data;
  if (job->once)
    {
      if (ps_forwarder_run_once (job->forwarder, job->cancellable, &job->result, &job->error))
        ps_forwarder_pull_instructions (job->forwarder, 0, job->cancellable, &job->instructions,
                                        &job->instruction_error);
    }
  else
    ps_forwarder_watch (job->forwarder, job->poll_ms, job->cancellable);
  g_atomic_int_set (&job->finished, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

int
ps_ctl_forward (const PsCtlCommand *command, int argc, char **argv)
{
  g_autofree char *config_path = NULL;
  g_autofree char *db_path = NULL;
  gboolean once = FALSE, watch = FALSE;
  int poll_ms = 2000;
  const GOptionEntry entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &once,
      N_ ("Try each report that is due now once, then exit (the default)"), NULL },
    { "watch", 0, 0, G_OPTION_ARG_NONE, &watch,
      N_ ("Keep delivering until stopped (SIGTERM, SIGINT)"), NULL },
    { "poll-ms", 0, 0, G_OPTION_ARG_INT, &poll_ms,
      N_ ("With --watch, look for new reports this often (milliseconds)"), N_ ("MS") },
    PS_CTL_DB_ENTRY (db_path),
    PS_CTL_CONFIG_ENTRY (config_path),
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;

  if (!ps_ctl_parse_options (command, entries, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  if (once && watch)
    {
      fprintf (stderr, "%s\n", _ ("Give --once or --watch, not both."));
      return PS_CTL_EXIT_USAGE;
    }
  g_autoptr (PsConfig) config = ps_config_load (config_path, &error);
  if (config == NULL)
    return ps_ctl_fail (error);
  g_autoptr (PsForwarder) forwarder = ps_forwarder_new (
      config, db_path != NULL ? db_path : ps_config_get_string (config, "database", "path"),
      &error);
  if (forwarder == NULL)
    return ps_ctl_fail (error);

  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  ForwardJob job = { .forwarder = forwarder,
                     .cancellable = cancellable,
                     .poll_ms = (guint) CLAMP (poll_ms, 10, 600000),
                     .once = !watch };
  guint term = g_unix_signal_add (SIGTERM, stop_cb, cancellable);
  guint intr = g_unix_signal_add (SIGINT, stop_cb, cancellable);
  GThread *thread = g_thread_new ("forward", forward_thread, &job);
  /* The main loop only waits for the signals; the thread does the work. */
  while (!g_atomic_int_get (&job.finished))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  g_source_remove (term);
  g_source_remove (intr);
  g_autoptr (GError) job_error = g_steal_pointer (&job.error);
  g_auto (PsForwardResult) result = job.result;
  if (job_error != NULL)
    return ps_ctl_fail (job_error);
  if (watch)
    return PS_CTL_EXIT_OK;
  printf (_ ("Sent %u, to be tried again %u, refused %u.\n"), result.sent, result.retried,
          result.refused);
  if (result.last_problem != NULL)
    printf (_ ("Last problem: %s\n"), result.last_problem);
  g_autoptr (GError) instruction_error = g_steal_pointer (&job.instruction_error);
  if (job.instructions > 0)
    printf (_ ("New instructions from the police: %u.\n"), job.instructions);
  if (instruction_error != NULL)
    printf (_ ("Instructions: %s\n"), instruction_error->message);
  if (g_cancellable_is_cancelled (cancellable))
    printf ("%s\n", _ ("Stopped before the end: the reports not tried stay queued."));
  return result.retried > 0 || result.refused > 0 || instruction_error != NULL ||
                 g_cancellable_is_cancelled (cancellable)
             ? PS_CTL_EXIT_FAILURE
             : PS_CTL_EXIT_OK;
}

/* "today", "yesterday" or YYYY-MM-DD, in Vietnam time. */
static char *
resolve_day (const char *text)
{
  if (g_strcmp0 (text, "today") != 0 && g_strcmp0 (text, "yesterday") != 0)
    return g_strdup (text);
  g_autoptr (GTimeZone) vietnam = g_time_zone_new_offset (7 * 3600);
  g_autoptr (GDateTime) now = g_date_time_new_now (vietnam);
  g_autoptr (GDateTime) day =
      g_date_time_add_days (now, g_strcmp0 (text, "yesterday") == 0 ? -1 : 0);
  return g_date_time_format (day, "%Y-%m-%d");
}

int
ps_ctl_export (const PsCtlCommand *command, int argc, char **argv)
{
  g_autofree char *config_path = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *date = NULL;
  g_autofree char *out = NULL;
  g_autofree char *seal_to = NULL;
  const GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date,
      N_ ("The day, YYYY-MM-DD (Vietnam time), or today or yesterday"), N_ ("DAY") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      N_ ("Where to write the export's folder (default: the current folder)"), N_ ("DIR") },
    { "seal-to", 0, 0, G_OPTION_ARG_FILENAME, &seal_to,
      N_ ("Seal each file to the liaison's public key (a key file)"), N_ ("FILE") },
    PS_CTL_DB_ENTRY (db_path),
    PS_CTL_CONFIG_ENTRY (config_path),
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;

  if (!ps_ctl_parse_options (command, entries, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  if (date == NULL || argc != 1)
    {
      fprintf (stderr, "%s\n", _ ("Give the day with --date YYYY-MM-DD."));
      return PS_CTL_EXIT_USAGE;
    }
  g_autoptr (PsConfig) config = NULL;
  g_autoptr (PsStore) store = ps_ctl_open_store (db_path, config_path, &config, &error);
  if (store == NULL)
    return ps_ctl_fail (error);
  g_autoptr (PsSigningKey) key =
      ps_signing_key_load (ps_config_get_string (config, "relay", "signing-key"), &error);
  if (key == NULL)
    return ps_ctl_fail (error);
  PsCounterIdentity counter = { ps_config_get_string (config, "counter", "office-code"),
                                ps_config_get_string (config, "counter", "counter-id"),
                                ps_signing_key_public (key) };
  g_autoptr (PsReasons) reasons = ps_load_reasons (config, &error);
  if (reasons == NULL)
    return ps_ctl_fail (error);
  g_autofree char *day = resolve_day (date);
  g_autofree char *folder =
      ps_export_day (store, day, out != NULL ? out : ".", key, &counter, reasons, seal_to, &error);
  if (folder == NULL)
    return ps_ctl_fail (error);
  printf (_ ("Exported %s to %s\n"), day, folder);
  return PS_CTL_EXIT_OK;
}

int
ps_ctl_export_verify (const PsCtlCommand *command, int argc, char **argv)
{
  g_autofree char *key_file = NULL;
  const GOptionEntry entries[] = {
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &key_file, N_ ("The counter's public key file"),
      N_ ("FILE") },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;

  if (!ps_ctl_parse_options (command, entries, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  if (argc != 2 || key_file == NULL)
    {
      fprintf (stderr, "%s\n", _ ("Give the export's folder and --key PUBLIC_KEY_FILE."));
      return PS_CTL_EXIT_USAGE;
    }
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  if (!ps_export_verify (argv[1], key_file, problems, &error))
    return ps_ctl_fail (error);
  for (guint i = 0; i < problems->len; i++)
    printf ("%s\n", (const char *) g_ptr_array_index (problems, i));
  if (problems->len > 0)
    return PS_CTL_EXIT_FAILURE;
  printf (_ ("The export is sound: the signature and every file match.\n"));
  return PS_CTL_EXIT_OK;
}

int
ps_ctl_keys_sign (const PsCtlCommand *command, int argc, char **argv)
{
  g_autofree char *path = NULL;
  const GOptionEntry entries[] = {
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &path, N_ ("The signing key file"), N_ ("FILE") },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;

  if (!ps_ctl_parse_options (command, entries, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  if (argc != 2 || path == NULL)
    {
      fprintf (stderr, "%s\n", _ ("Give the file to sign and --key KEY_FILE."));
      return PS_CTL_EXIT_USAGE;
    }
  g_autoptr (PsSigningKey) key = ps_signing_key_load (path, &error);
  g_autofree char *data = NULL;
  gsize len = 0;
  if (key == NULL || (data = ps_file_read (argv[1], PS_DATA_FILE_MAX_BYTES, &len, &error)) == NULL)
    return ps_ctl_fail (error);
  g_autofree char *signature = ps_signing_key_sign (key, data, len);
  g_autofree char *target = g_strdup_printf ("%s.sig", argv[1]);
  g_autofree char *line = g_strconcat (signature, "\n", NULL);
  if (!g_file_set_contents (target, line, -1, &error))
    return ps_ctl_fail (error);
  printf (_ ("Signed: %s\n"), target);
  return PS_CTL_EXIT_OK;
}

int
ps_ctl_watchlist_import (const PsCtlCommand *command, int argc, char **argv)
{
  g_autofree char *config_path = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *key_file = NULL;
  const GOptionEntry entries[] = {
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &key_file, N_ ("The police's public key file"),
      N_ ("FILE") },
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db_path,
      N_ ("The database whose audit trail records the import (default: the configuration's)"),
      N_ ("FILE") },
    PS_CTL_CONFIG_ENTRY (config_path),
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;

  if (!ps_ctl_parse_options (command, entries, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  if (argc != 2 || key_file == NULL)
    {
      fprintf (stderr, "%s\n",
               _ ("Give the watch-list file (its signature in FILE.sig) and --key "
                  "PUBLIC_KEY_FILE."));
      return PS_CTL_EXIT_USAGE;
    }
  g_autoptr (PsConfig) config = ps_config_load (config_path, &error);
  if (config == NULL)
    return ps_ctl_fail (error);
  const char *target = ps_config_get_string (config, "data", "watchlist");
  if (target == NULL || *target == '\0')
    {
      fprintf (stderr, "%s\n",
               _ ("No watch-list file is configured: set [data] watchlist to where it is "
                  "kept."));
      return PS_CTL_EXIT_FAILURE;
    }

  guint8 key[32];
  g_autofree char *data = NULL;
  g_autofree char *signature = NULL;
  gsize len = 0;
  g_autofree char *signature_path = g_strdup_printf ("%s.sig", argv[1]);
  if (!ps_public_key_load (key_file, key, &error) ||
      (data = ps_file_read (argv[1], PS_DATA_FILE_MAX_BYTES, &len, &error)) == NULL)
    return ps_ctl_fail (error);
  gsize signature_len = 0;
  signature = ps_file_read (signature_path, 1024, &signature_len, NULL);
  /* The counter's database records the import in its audit trail. */
  g_autoptr (PsStore) store = ps_store_open_existing (
      db_path != NULL ? db_path : ps_config_get_string (config, "database", "path"), &error);
  if (store == NULL)
    return ps_ctl_fail (error);
  guint installed = 0;
  if (!ps_watchlist_install (target, store, key, data, len, signature, argv[1], &installed, &error))
    return ps_ctl_fail (error);
  printf (_ ("The watch list (%u entries) is in %s; the counter uses it from its next start.\n"),
          installed, target);
  return PS_CTL_EXIT_OK;
}
