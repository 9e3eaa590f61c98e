/* parcelscreen-hub: the provincial hub service. */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "ps-config.h"
#include "ps-hub.h"

static gboolean
on_signal (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  ps_i18n_init (NULL);

  g_autofree char *config_path = NULL;
  const GOptionEntry options[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      N_ ("The hub's configuration (default: /etc/parcelscreen-hub/hub.conf)"), "FILE" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _ ("Receives the counters' reports over mutual TLS, keeps them "
                                   "in PostgreSQL and serves the police's web view."));
  g_option_context_add_main_entries (context, options, GETTEXT_PACKAGE);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  g_autoptr (PsHubConfig) config = ps_hub_config_load (
      config_path != NULL ? config_path : "/etc/parcelscreen-hub/hub.conf", &error);
  if (config == NULL)
    {
      fprintf (stderr, "parcelscreen-hub: %s\n", error->message);
      return 1;
    }
  PsHub *hub = ps_hub_new (config, &error);
  if (hub == NULL)
    {
      fprintf (stderr, "parcelscreen-hub: %s\n", error->message);
      return 1;
    }
  g_autoptr (GCancellable) stop = g_cancellable_new ();
  guint term = g_unix_signal_add (SIGTERM, on_signal, stop);
  guint interrupt = g_unix_signal_add (SIGINT, on_signal, stop);
  g_message ("listening: counters on %s:%u, web view on %s:%u", config->listen, config->port,
             config->web_listen, config->web_port);
  ps_hub_run (hub, stop, NULL);
  g_message ("stopping");
  g_source_remove (term);
  g_source_remove (interrupt);
  ps_hub_free (hub);
  return 0;
}
