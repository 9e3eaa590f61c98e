/* ps-ctl-devices.c — `parcelscreenctl devices list|watch`: what a technician
 * uses to see the scale and the scanner, and what the device tests drive. */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "parcelscreen/parcelscreen.h"
#include "ps-config.h"
#include "ps-devices.h"
#include "ps-ctl.h"

#define WATCH_EXIT_TIMEOUT 3

typedef struct
{
  GMainLoop *loop;
  gboolean json;
  gint64 count; /* weight and scan events to wait for; 0: forever */
  gint64 seen;
  int status;
  gboolean done; /* events queued after the end are not printed */
} PsWatch;

/* Prints one JSON object on one line; @builder holds an open object. */
static void
print_json (JsonBuilder *builder)
{
  json_builder_end_object (builder);
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, FALSE);
  printf ("%s\n", text);
  fflush (stdout);
}

static JsonBuilder *
begin_event (const char *event, const PsDeviceInfo *info)
{
  JsonBuilder *builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event);
  json_builder_set_member_name (builder, "device");
  json_builder_add_string_value (builder, info->id);
  return builder;
}

static void
add_string (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
print_problem (PsWatch *watch, const PsDeviceInfo *info, const char *message)
{
  if (watch->json)
    {
      g_autoptr (JsonBuilder) builder = begin_event ("error", info);
      add_string (builder, "message", message);
      print_json (builder);
    }
  else
    {
      printf (_ ("%s: error: %s\n"), info->id, message);
      fflush (stdout);
    }
}

static void
device_added_cb (PsDeviceManager *manager, PsDeviceInfo *info, PsWatch *watch)
{
  (void) manager;
  if (watch->done)
    return;
  if (watch->json)
    {
      g_autoptr (JsonBuilder) builder = begin_event ("added", info);
      add_string (builder, "kind", ps_device_kind_to_id (info->kind));
      add_string (builder, "driver", info->driver);
      add_string (builder, "name", info->name);
      print_json (builder);
    }
  else
    {
      printf (_ ("%s: added: %s (%s, %s)\n"), info->id, info->name,
              ps_device_kind_to_id (info->kind), info->driver);
      fflush (stdout);
    }
}

static void
device_removed_cb (PsDeviceManager *manager, PsDeviceInfo *info, PsWatch *watch)
{
  (void) manager;
  if (watch->done)
    return;
  if (watch->json)
    {
      g_autoptr (JsonBuilder) builder = begin_event ("removed", info);
      print_json (builder);
    }
  else
    {
      printf (_ ("%s: removed\n"), info->id);
      fflush (stdout);
    }
}

static void
device_state_changed_cb (PsDeviceManager *manager, PsDeviceInfo *info, PsWatch *watch)
{
  (void) manager;
  if (watch->done)
    return;
  if (info->state != PS_DEVICE_STATE_CONNECTED && info->message != NULL)
    print_problem (watch, info, info->message);
}

static void
device_error_cb (PsDeviceManager *manager, PsDeviceInfo *info, const char *message, PsWatch *watch)
{
  (void) manager;
  if (watch->done)
    return;
  print_problem (watch, info, message);
}

static void
count_event (PsWatch *watch)
{
  watch->seen++;
  if (watch->count > 0 && watch->seen >= watch->count)
    {
      watch->done = TRUE;
      watch->status = PS_CTL_EXIT_OK;
      g_main_loop_quit (watch->loop);
    }
}

static void
weight_cb (PsDeviceManager *manager, PsDeviceInfo *info, int status, gint64 milligrams,
           PsWatch *watch)
{
  (void) manager;
  if (watch->done)
    return;
  if (watch->json)
    {
      g_autoptr (JsonBuilder) builder = begin_event ("weight", info);
      add_string (builder, "status", ps_scale_status_to_id (status));
      json_builder_set_member_name (builder, "milligrams");
      json_builder_add_int_value (builder, milligrams);
      print_json (builder);
    }
  else
    {
      g_autofree char *weight = ps_weight_format (milligrams);
      printf (_ ("%s: weight %s (%s)\n"), info->id, weight, ps_scale_status_label (status));
      fflush (stdout);
    }
  count_event (watch);
}

static void
scan_cb (PsDeviceManager *manager, PsDeviceInfo *info, const char *text, const char *symbology,
         PsWatch *watch)
{
  (void) manager;
  if (watch->done)
    return;
  if (watch->json)
    {
      g_autoptr (JsonBuilder) builder = begin_event ("scan", info);
      add_string (builder, "text", text);
      add_string (builder, "symbology", symbology);
      print_json (builder);
    }
  else
    {
      printf (_ ("%s: scan ‘%s’%s%s\n"), info->id, text, symbology != NULL ? " " : "",
              symbology != NULL ? symbology : "");
      fflush (stdout);
    }
  count_event (watch);
}

static gboolean
timeout_cb (gpointer data)
{
  PsWatch *watch = data;
  watch->done = TRUE;
  watch->status = WATCH_EXIT_TIMEOUT;
  g_main_loop_quit (watch->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
interrupted_cb (gpointer data)
{
  PsWatch *watch = data;
  watch->done = TRUE;
  watch->status = PS_CTL_EXIT_OK;
  g_main_loop_quit (watch->loop);
  return G_SOURCE_REMOVE;
}

static PsDeviceManager *
new_manager (const char *config_path, GError **error)
{
  g_autoptr (PsConfig) config = ps_config_load (config_path, error);
  if (config == NULL)
    return NULL;
  g_auto (GStrv) ids =
      g_strsplit (ps_config_get_string (config, "devices", "scanner-ids"), ";", -1);
  g_autoptr (GStrvBuilder) clean = g_strv_builder_new ();
  for (guint i = 0; ids[i] != NULL; i++)
    if (*g_strstrip (ids[i]) != '\0')
      g_strv_builder_add (clean, ids[i]);
  g_auto (GStrv) scanner_ids = g_strv_builder_end (clean);
  return ps_device_manager_new ((const char *const *) scanner_ids, error);
}

int
ps_ctl_devices_watch (const PsCtlCommand *command, int argc, char **argv)
{
  g_autofree char *config_path = NULL;
  PsWatch watch = { .status = PS_CTL_EXIT_OK };
  gint64 timeout = 0;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &watch.json, N_ ("One JSON object a line"), NULL },
    { "count", 'n', 0, G_OPTION_ARG_INT64, &watch.count,
      N_ ("Exit after this many weight and scan events"), N_ ("N") },
    { "timeout", 't', 0, G_OPTION_ARG_INT64, &timeout,
      N_ ("Give up after this many seconds (exit status 3)"), N_ ("SECONDS") },
    PS_CTL_CONFIG_ENTRY (config_path),
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;

  if (!ps_ctl_parse_options (command, entries, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  if (argc > 1 || watch.count < 0 || timeout < 0)
    {
      fprintf (stderr, "%s\n",
               _ ("parcelscreenctl devices watch: --count and --timeout take "
                  "numbers of at least 0."));
      return PS_CTL_EXIT_USAGE;
    }

  g_autoptr (PsDeviceManager) manager = new_manager (config_path, &error);
  if (manager == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return PS_CTL_EXIT_FAILURE;
    }

  watch.loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (manager, "device-added", G_CALLBACK (device_added_cb), &watch);
  g_signal_connect (manager, "device-removed", G_CALLBACK (device_removed_cb), &watch);
  g_signal_connect (manager, "device-state-changed", G_CALLBACK (device_state_changed_cb), &watch);
  g_signal_connect (manager, "device-error", G_CALLBACK (device_error_cb), &watch);
  g_signal_connect (manager, "weight", G_CALLBACK (weight_cb), &watch);
  g_signal_connect (manager, "scan", G_CALLBACK (scan_cb), &watch);
  if (timeout > 0)
    g_timeout_add_seconds ((guint) timeout, timeout_cb, &watch);
  g_unix_signal_add (SIGINT, interrupted_cb, &watch);
  g_unix_signal_add (SIGTERM, interrupted_cb, &watch);

  if (!ps_device_manager_start (manager, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return PS_CTL_EXIT_FAILURE;
    }
  g_main_loop_run (watch.loop);
  ps_device_manager_stop (manager);
  g_signal_handlers_disconnect_by_data (manager, &watch);
  g_main_loop_unref (watch.loop);
  return watch.status;
}

static void
enumerated_cb (PsDeviceManager *manager, GMainLoop *loop)
{
  (void) manager;
  g_main_loop_quit (loop);
}

int
ps_ctl_devices_list (const PsCtlCommand *command, int argc, char **argv)
{
  g_autofree char *config_path = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_ ("One JSON object a line"), NULL },
    PS_CTL_CONFIG_ENTRY (config_path),
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;

  if (!ps_ctl_parse_options (command, entries, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  if (argc > 1)
    {
      fprintf (stderr, "%s\n", _ ("parcelscreenctl devices list takes no argument."));
      return PS_CTL_EXIT_USAGE;
    }

  g_autoptr (PsDeviceManager) manager = new_manager (config_path, &error);
  if (manager == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return PS_CTL_EXIT_FAILURE;
    }
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (manager, "enumerated", G_CALLBACK (enumerated_cb), loop);
  if (!ps_device_manager_start (manager, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return PS_CTL_EXIT_FAILURE;
    }
  g_main_loop_run (loop);
  ps_device_manager_stop (manager);
  /* Deliver what the thread posted before it stopped. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_autoptr (GPtrArray) devices = ps_device_manager_get_devices (manager);
  if (!json && !ps_device_manager_has_hotplug (manager))
    printf ("%s\n", _ ("USB hotplug is not available here; the counter program looks for devices "
                       "every 2 seconds."));
  if (!json && devices->len == 0)
    printf ("%s\n", _ ("No scale or scanner is connected."));
  for (guint i = 0; i < devices->len; i++)
    {
      const PsDeviceInfo *info = g_ptr_array_index (devices, i);
      if (json)
        {
          g_autoptr (JsonBuilder) builder = json_builder_new ();
          json_builder_begin_object (builder);
          add_string (builder, "device", info->id);
          add_string (builder, "kind", ps_device_kind_to_id (info->kind));
          add_string (builder, "driver", info->driver);
          add_string (builder, "name", info->name);
          add_string (builder, "state", ps_device_state_to_id (info->state));
          add_string (builder, "message", info->message);
          print_json (builder);
        }
      else
        {
          printf ("%s  %-8s %-21s %-12s %s\n", info->id, ps_device_kind_to_id (info->kind),
                  info->driver, ps_device_state_label (info->state), info->name);
          if (info->message != NULL)
            printf ("           %s\n", info->message);
        }
    }
  return PS_CTL_EXIT_OK;
}
