/* ps-ctl-relay.c — parcelscreenctl keys and forward: the counter's signing
 * key, and the delivery of the outbox to the police receiver (a systemd
 * service runs "forward --watch"). */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "parcelscreen/ps-relay.h"
#include "ps-ctl.h"

static int
fail (GError *error)
{
  fprintf (stderr, "%s\n", error->message);
  return PS_CTL_EXIT_FAILURE;
}

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
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      N_ ("Read this configuration file too"), N_ ("FILE") },
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &path,
      N_ ("Write the key here (default: [relay] signing-key)"), N_ ("FILE") },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;

  if (!ps_ctl_parse_options (command, entries, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  g_autoptr (PsConfig) config = ps_config_load (config_path, &error);
  if (config == NULL)
    return fail (error);
  const char *target = key_path (config, path);
  if (!ps_signing_key_generate (target, &error))
    return fail (error);
  g_autoptr (PsSigningKey) key = ps_signing_key_load (target, &error);
  if (key == NULL)
    return fail (error);
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
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      N_ ("Read this configuration file too"), N_ ("FILE") },
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
    return fail (error);
  g_autoptr (PsSigningKey) key = ps_signing_key_load (key_path (config, path), &error);
  if (key == NULL)
    return fail (error);
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

static gpointer
watch_thread (gpointer data)
{
  gpointer *args = data;
  GError *error = NULL;
  ps_forwarder_watch (args[0], GPOINTER_TO_UINT (args[2]), args[1], &error);
  /* Stopped by a signal, or by a database failure: either way the main
   * thread stops waiting. */
  g_cancellable_cancel (args[1]);
  g_main_context_wakeup (NULL);
  return error;
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
      N_ ("Deliver what is due now, then exit (the default)"), NULL },
    { "watch", 0, 0, G_OPTION_ARG_NONE, &watch,
      N_ ("Keep delivering until stopped (SIGTERM, SIGINT)"), NULL },
    { "poll-ms", 0, 0, G_OPTION_ARG_INT, &poll_ms,
      N_ ("With --watch, look for new reports this often (milliseconds)"), N_ ("MS") },
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db_path,
      N_ ("The database (default: the configuration's)"), N_ ("FILE") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      N_ ("Read this configuration file too"), N_ ("FILE") },
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
    return fail (error);
  g_autoptr (PsForwarder) forwarder = ps_forwarder_new (
      config, db_path != NULL ? db_path : ps_config_get_string (config, "database", "path"),
      &error);
  if (forwarder == NULL)
    return fail (error);

  if (watch)
    {
      g_autoptr (GCancellable) cancellable = g_cancellable_new ();
      guint term = g_unix_signal_add (SIGTERM, stop_cb, cancellable);
      guint intr = g_unix_signal_add (SIGINT, stop_cb, cancellable);
      gpointer args[] = { forwarder, cancellable, GUINT_TO_POINTER (MAX (poll_ms, 10)) };
      GThread *thread = g_thread_new ("forward", watch_thread, args);
      /* The main loop only waits for the signals; the thread does the work. */
      while (!g_cancellable_is_cancelled (cancellable))
        g_main_context_iteration (NULL, TRUE);
      GError *thread_error = g_thread_join (thread);
      g_source_remove (term);
      g_source_remove (intr);
      if (thread_error != NULL)
        {
          int status = fail (thread_error);
          g_error_free (thread_error);
          return status;
        }
      return PS_CTL_EXIT_OK;
    }

  g_auto (PsForwardResult) result = { 0 };
  if (!ps_forwarder_run_once (forwarder, &result, &error))
    return fail (error);
  printf (_ ("Sent %u, to be tried again %u, refused %u.\n"), result.sent, result.retried,
          result.refused);
  if (result.last_problem != NULL)
    printf (_ ("Last problem: %s\n"), result.last_problem);
  return result.retried > 0 || result.refused > 0 ? PS_CTL_EXIT_FAILURE : PS_CTL_EXIT_OK;
}
