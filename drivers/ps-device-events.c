/* ps-device-events.c — from the device thread to the main context: every
 * driver report and state change is copied into an event, and the main
 * context emits the manager's signal for it. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ps-device-manager-private.h"

struct _PsEvent
{
  PsDeviceManager *manager;
  PsEventType type;
  PsDeviceInfo *info;
  int status;
  gint64 milligrams;
  char *text;
  char *symbology;
};

static void
ps_event_free (PsEvent *event)
{
  g_object_unref (event->manager);
  ps_device_info_free (event->info);
  g_free (event->text);
  g_free (event->symbology);
  g_free (event);
}

static void
update_known (PsDeviceManager *self, const PsDeviceInfo *info, gboolean remove)
{
  for (guint i = 0; i < self->known->len; i++)
    {
      PsDeviceInfo *known = g_ptr_array_index (self->known, i);
      if (known->bus == info->bus && known->address == info->address)
        {
          g_ptr_array_remove_index (self->known, i);
          break;
        }
    }
  if (!remove)
    g_ptr_array_add (self->known, ps_device_info_copy (info));
}

static gboolean
dispatch_event (gpointer data)
{
  PsEvent *event = data;
  PsDeviceManager *self = event->manager;

  switch (event->type)
    {
      case EVENT_ADDED:
        update_known (self, event->info, FALSE);
        g_signal_emit (self, ps_device_manager_signals[SIGNAL_DEVICE_ADDED], 0, event->info);
        break;
      case EVENT_REMOVED:
        update_known (self, event->info, TRUE);
        g_signal_emit (self, ps_device_manager_signals[SIGNAL_DEVICE_REMOVED], 0, event->info);
        break;
      case EVENT_STATE:
        update_known (self, event->info, FALSE);
        g_signal_emit (self, ps_device_manager_signals[SIGNAL_DEVICE_STATE_CHANGED], 0,
                       event->info);
        break;
      case EVENT_WEIGHT:
        g_signal_emit (self, ps_device_manager_signals[SIGNAL_WEIGHT], 0, event->info,
                       event->status, event->milligrams);
        break;
      case EVENT_SCAN:
        g_signal_emit (self, ps_device_manager_signals[SIGNAL_SCAN], 0, event->info, event->text,
                       event->symbology);
        break;
      case EVENT_ERROR:
        g_signal_emit (self, ps_device_manager_signals[SIGNAL_DEVICE_ERROR], 0, event->info,
                       event->text);
        break;
      case EVENT_ENUMERATED:
        self->enumerated = TRUE;
        g_signal_emit (self, ps_device_manager_signals[SIGNAL_ENUMERATED], 0);
        break;
    }
  return G_SOURCE_REMOVE;
}

PsEvent *
ps_event_new (PsDeviceManager *self, PsEventType type, const PsDeviceInfo *info)
{
  PsEvent *event = g_new0 (PsEvent, 1);
  event->manager = g_object_ref (self);
  event->type = type;
  event->info = info != NULL ? ps_device_info_copy (info) : NULL;
  return event;
}

void
ps_event_post (PsEvent *event)
{
  g_main_context_invoke_full (event->manager->context, G_PRIORITY_DEFAULT, dispatch_event, event,
                              (GDestroyNotify) ps_event_free);
}

void
ps_driver_emit_weight (PsDriverDevice *device, int status, gint64 milligrams)
{
  PsEvent *event = ps_event_new (device->manager, EVENT_WEIGHT, device->info);
  event->status = status;
  event->milligrams = milligrams;
  ps_event_post (event);
}

void
ps_driver_emit_scan (PsDriverDevice *device, const char *text, const char *symbology)
{
  PsEvent *event = ps_event_new (device->manager, EVENT_SCAN, device->info);
  event->text = g_strdup (text);
  event->symbology = g_strdup (symbology);
  ps_event_post (event);
}

void
ps_driver_emit_error (PsDriverDevice *device, const char *message)
{
  if (g_strcmp0 (device->last_error, message) == 0)
    return;
  g_free (device->last_error);
  device->last_error = g_strdup (message);
  g_message ("%s %s: %s", device->info->driver, device->info->id, message);

  PsEvent *event = ps_event_new (device->manager, EVENT_ERROR, device->info);
  event->text = g_strdup (message);
  ps_event_post (event);
}

void
ps_driver_clear_error (PsDriverDevice *device)
{
  g_clear_pointer (&device->last_error, g_free);
}

void
ps_driver_device_set_state (PsDriverDevice *device, PsDeviceState state, const char *message)
{
  device->info->state = state;
  g_free (device->info->message);
  device->info->message = g_strdup (message);
  ps_event_post (ps_event_new (device->manager, EVENT_STATE, device->info));
}
