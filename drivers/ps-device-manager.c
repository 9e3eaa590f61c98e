/* ps-device-manager.c — the USB device manager: the only code that calls
 * libusb_*.
 *
 * One libusb context and one thread ("device thread") that runs its events.
 * Hotplug callbacks only queue the device; the thread then probes it outside
 * any callback (sync requests may run there; ps-usb.c picks the driver),
 * claims it and keeps one interrupt transfer in flight. Everything the
 * drivers report is copied into an event and handed to the main context of
 * the thread that made the manager. What is particular to a kind of device
 * (zeroing, how long a silence may last) is a hook of its driver.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <libusb.h>
#include <string.h>

#include "parcelscreen/ps-error.h"
#include "parcelscreen/ps-text.h"
#include "ps-decoders.h"
#include "ps-device-manager-private.h"
#include "ps-usb.h"

#define LOOP_TIMEOUT_US     (50 * 1000)
#define POLL_INTERVAL_US    (2 * G_USEC_PER_SEC)
#define MAX_TRANSFER_ERRORS 20
#define CONTROL_TIMEOUT_MS  1000

G_DEFINE_FINAL_TYPE (PsDeviceManager, ps_device_manager, G_TYPE_OBJECT)

guint ps_device_manager_signals[N_SIGNALS];

/* ---- Claimed devices ---------------------------------------------------------------- */

static void
driver_device_free (PsDriverDevice *device)
{
  if (device->driver_state != NULL)
    device->driver->stop (device->driver_state);
  if (device->transfer != NULL)
    libusb_free_transfer (device->transfer);
  g_free (device->buffer);
  if (device->handle != NULL)
    {
      if (device->claimed)
        libusb_release_interface (device->handle, device->interface);
      if (device->detached)
        libusb_attach_kernel_driver (device->handle, device->interface);
      libusb_close (device->handle);
    }
  libusb_unref_device (device->usb_device);
  g_free (device->last_error);
  ps_device_info_free (device->info);
  g_free (device);
}

static void LIBUSB_CALL transfer_done_cb (struct libusb_transfer *transfer);

static void
submit (PsDriverDevice *device)
{
  if (device->in_flight || device->gone || device->handle == NULL || !device->claimed)
    return;

  libusb_fill_interrupt_transfer (device->transfer, device->handle, device->endpoint,
                                  device->buffer, device->packet_size, transfer_done_cb, device, 0);
  int rc = libusb_submit_transfer (device->transfer);
  if (rc == LIBUSB_SUCCESS)
    {
      device->in_flight = TRUE;
      return;
    }
  if (rc == LIBUSB_ERROR_NO_DEVICE)
    device->gone = TRUE;
  else
    {
      g_autoptr (GError) error = NULL;
      ps_usb_error_to_gerror (rc, device->info->id, &error);
      g_autofree char *message =
          g_strdup_printf (_ ("Reading from the device failed: %s"), error->message);
      ps_driver_emit_error (device, message);
      device->transfer_errors++;
    }
}

static void LIBUSB_CALL
transfer_done_cb (struct libusb_transfer *transfer)
{
  PsDriverDevice *device = transfer->user_data;
  gint64 now = g_get_monotonic_time ();

  device->in_flight = FALSE;
  if (device->orphaned)
    {
      /* The last of a device released while this transfer hung. */
      driver_device_free (device);
      return;
    }
  switch (transfer->status)
    {
      case LIBUSB_TRANSFER_COMPLETED:
        device->transfer_errors = 0;
        device->last_report_us = now;
        device->silence_reported = FALSE;
        device->driver->report (device->driver_state, device, transfer->buffer,
                                (gsize) transfer->actual_length, now);
        break;
      case LIBUSB_TRANSFER_TIMED_OUT:
        break;
      case LIBUSB_TRANSFER_STALL:
        /* Cleared by the device thread, outside this callback. */
        device->needs_clear_halt = TRUE;
        return;
      case LIBUSB_TRANSFER_NO_DEVICE:
        device->gone = TRUE;
        return;
      case LIBUSB_TRANSFER_CANCELLED:
        return;
      case LIBUSB_TRANSFER_OVERFLOW:
        device->transfer_errors++;
        ps_driver_emit_error (device, _ ("The device sent a report longer than it announced."));
        break;
      case LIBUSB_TRANSFER_ERROR:
        device->transfer_errors++;
        ps_driver_emit_error (device, _ ("Reading from the device failed."));
        break;
    }
  submit (device);
}

/* ---- Probing --------------------------------------------------------------------------------- */

static PsDeviceInfo *
new_info (libusb_device *device, const struct libusb_device_descriptor *descriptor,
          const PsDriver *driver, const char *name)
{
  PsDeviceInfo *info = g_new0 (PsDeviceInfo, 1);
  info->id = g_strdup_printf ("%04x:%04x", descriptor->idVendor, descriptor->idProduct);
  info->driver = g_strdup (driver->id);
  info->kind = driver->kind;
  info->bus = libusb_get_bus_number (device);
  info->address = libusb_get_device_address (device);
  info->state = PS_DEVICE_STATE_CONNECTED;
  if (name != NULL)
    info->name = g_strdup (name);
  else
    info->name = g_strdup_printf (
        driver->kind == PS_DEVICE_KIND_SCALE ? _ ("USB scale %s") : _ ("USB scanner %s"), info->id);
  return info;
}

static PsDriverDevice *
find_device (PsDeviceManager *self, libusb_device *device)
{
  for (guint i = 0; i < self->devices->len; i++)
    {
      PsDriverDevice *candidate = g_ptr_array_index (self->devices, i);
      if (candidate->usb_device == device)
        return candidate;
    }
  return NULL;
}

/* Opens and claims the interface @found names; the state says how far it got. */
static void
claim (PsDriverDevice *claimed, PsProbeResult *found)
{
  g_autoptr (GError) error = NULL;
  int rc = LIBUSB_SUCCESS;

  claimed->handle = g_steal_pointer (&found->handle);
  if (claimed->handle == NULL && (rc = libusb_open (claimed->usb_device, &claimed->handle)) != 0)
    {
      claimed->handle = NULL;
      ps_usb_error_to_gerror (rc, claimed->info->id, &error);
      if (g_error_matches (error, PS_ERROR, PS_ERROR_PERMISSION))
        {
          g_autofree char *message =
              g_strdup_printf (_ ("No permission to open %s; install the udev rule %s "
                                  "(ParcelScreen installs it) and "
                                  "plug the device in again."),
                               claimed->info->id, PS_UDEV_RULE_NAME);
          ps_driver_device_set_state (claimed, PS_DEVICE_STATE_NO_PERMISSION, message);
        }
      else
        {
          g_autofree char *message =
              g_strdup_printf (_ ("%s cannot be opened: %s"), claimed->info->id, error->message);
          ps_driver_device_set_state (claimed, PS_DEVICE_STATE_ERROR, message);
        }
      return;
    }

  /* Detach the kernel's driver only when one is bound; a failure is not fatal. */
  if (libusb_kernel_driver_active (claimed->handle, claimed->interface) == 1)
    {
      rc = libusb_detach_kernel_driver (claimed->handle, claimed->interface);
      if (rc == LIBUSB_SUCCESS)
        claimed->detached = TRUE;
      else
        g_message ("%s: could not detach the kernel driver: %s", claimed->info->id,
                   libusb_strerror (rc));
    }
  rc = libusb_claim_interface (claimed->handle, claimed->interface);
  if (rc != LIBUSB_SUCCESS)
    {
      ps_usb_error_to_gerror (rc, claimed->info->id, &error);
      gboolean busy = g_error_matches (error, PS_ERROR, PS_ERROR_DEVICE_BUSY);
      g_autofree char *message = g_strdup_printf (
          busy ? _ ("%s is in use by another program; close it.") : _ ("%s cannot be claimed."),
          claimed->info->id);
      ps_driver_device_set_state (claimed, busy ? PS_DEVICE_STATE_BUSY : PS_DEVICE_STATE_ERROR,
                                  message);
      return;
    }
  claimed->claimed = TRUE;
  claimed->driver_state = claimed->driver->start ();
  claimed->transfer = libusb_alloc_transfer (0);
  claimed->buffer = g_malloc0 ((gsize) claimed->packet_size);
  claimed->opened_us = g_get_monotonic_time ();
  g_info ("%s: %s (%s) claimed", claimed->info->id, claimed->info->name, claimed->driver->id);
  submit (claimed);
}

static void
probe (PsDeviceManager *self, libusb_device *device)
{
  struct libusb_device_descriptor descriptor;
  PsProbeContext context = { .keyboard_ids = self->keyboard_ids };
  PsProbeResult found;

  if (libusb_get_device_descriptor (device, &descriptor) != LIBUSB_SUCCESS)
    return;
  if (!ps_usb_probe (device, &context, &found))
    {
      g_debug ("%04x:%04x is neither a scale nor a scanner", descriptor.idVendor,
               descriptor.idProduct);
      return;
    }

  PsDriverDevice *claimed = g_new0 (PsDriverDevice, 1);
  claimed->manager = self;
  claimed->usb_device = libusb_ref_device (device);
  claimed->driver = found.driver;
  claimed->interface = found.interface;
  claimed->endpoint = found.endpoint;
  claimed->packet_size = found.packet_size;
  claimed->info = new_info (device, &descriptor, found.driver, found.name);
  g_ptr_array_add (self->devices, claimed);
  ps_event_post (ps_event_new (self, EVENT_ADDED, claimed->info));
  claim (claimed, &found);
}

/* Forgets a device whose transfer was cancelled. If the transfer did not end
 * in time, the device is freed by the transfer's own callback when it does
 * (see cancel_transfer ()), never before. */
static void
release_device (PsDeviceManager *self, PsDriverDevice *device)
{
  if (!device->in_flight)
    {
      g_ptr_array_remove (self->devices, device);
      return;
    }
  g_message ("%s: its transfer did not end when cancelled; released when it does",
             device->info->id);
  device->orphaned = TRUE;
  guint index;
  if (g_ptr_array_find (self->devices, device, &index))
    g_ptr_array_steal_index (self->devices, index);
}

/* Says the device is gone, and forgets it. */
static void
remove_device (PsDeviceManager *self, PsDriverDevice *device)
{
  device->info->state = PS_DEVICE_STATE_REMOVED;
  ps_event_post (ps_event_new (self, EVENT_REMOVED, device->info));
  release_device (self, device);
}

/* Cancels the transfer and waits for it, a second at most. A transfer that
 * still has not ended (a stuck kernel driver) keeps its device alive until
 * its callback runs: see release_device (). */
static void
cancel_transfer (PsDeviceManager *self, PsDriverDevice *device)
{
  if (!device->in_flight)
    return;
  libusb_cancel_transfer (device->transfer);
  gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (device->in_flight && g_get_monotonic_time () < deadline)
    {
      struct timeval tv = { 0, 10000 };
      libusb_handle_events_timeout_completed (self->usb, &tv, NULL);
    }
}

static void
depart (PsDeviceManager *self, libusb_device *device)
{
  g_hash_table_remove (self->seen, device);
  PsDriverDevice *claimed = find_device (self, device);
  if (claimed == NULL)
    return;
  claimed->gone = TRUE;
  cancel_transfer (self, claimed);
  remove_device (self, claimed);
}

static int LIBUSB_CALL
hotplug_cb (libusb_context *usb, libusb_device *device, libusb_hotplug_event event, void *data)
{
  PsDeviceManager *self = data;
  (void) usb;

  /* Only queued here: the device thread probes outside any callback. */
  g_mutex_lock (&self->lock);
  g_ptr_array_add (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED ? self->arrivals : self->departures,
                   libusb_ref_device (device));
  g_mutex_unlock (&self->lock);
  return 0;
}

/* Without hotplug: compare the device list with what was seen. */
static void
poll_devices (PsDeviceManager *self)
{
  libusb_device **list = NULL;
  ssize_t n = libusb_get_device_list (self->usb, &list);
  if (n < 0)
    return;

  g_autoptr (GHashTable) present = g_hash_table_new (NULL, NULL);
  for (ssize_t i = 0; i < n; i++)
    {
      g_hash_table_add (present, list[i]);
      if (!g_hash_table_contains (self->seen, list[i]))
        g_ptr_array_add (self->arrivals, libusb_ref_device (list[i]));
    }

  GHashTableIter iter;
  gpointer key;
  g_hash_table_iter_init (&iter, self->seen);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (present, key))
      g_ptr_array_add (self->departures, libusb_ref_device (key));
  libusb_free_device_list (list, TRUE);
}

gboolean
ps_driver_set_output_report (PsDriverDevice *device, guint8 report_id, const guint8 *data,
                             gsize len, GError **error)
{
  int rc = libusb_control_transfer (
      device->handle, LIBUSB_ENDPOINT_OUT | LIBUSB_REQUEST_TYPE_CLASS | LIBUSB_RECIPIENT_INTERFACE,
      0x09 /* SET_REPORT */, (guint16) (0x0200 | report_id), (guint16) device->interface,
      (guint8 *) data, (guint16) len, CONTROL_TIMEOUT_MS);
  if (rc >= 0)
    return TRUE;
  ps_usb_error_to_gerror (rc, device->info->id, error);
  return FALSE;
}

static void
zero_device (PsDeviceManager *self, const char *id)
{
  for (guint i = 0; i < self->devices->len; i++)
    {
      PsDriverDevice *device = g_ptr_array_index (self->devices, i);
      g_autoptr (GError) error = NULL;
      if (strcmp (device->info->id, id) != 0 || !device->claimed)
        continue;
      if (device->driver->zero == NULL)
        ps_driver_emit_error (device, _ ("This device cannot be zeroed."));
      else if (!device->driver->zero (device->driver_state, device, &error))
        ps_driver_emit_error (device, error->message);
    }
}

static void
take_queues (PsDeviceManager *self, GPtrArray **arrivals, GPtrArray **departures,
             GPtrArray **zero_requests)
{
  g_mutex_lock (&self->lock);
  *arrivals = g_steal_pointer (&self->arrivals);
  *departures = g_steal_pointer (&self->departures);
  *zero_requests = g_steal_pointer (&self->zero_requests);
  self->arrivals = g_ptr_array_new ();
  self->departures = g_ptr_array_new ();
  self->zero_requests = g_ptr_array_new_with_free_func (g_free);
  g_mutex_unlock (&self->lock);
}

static void
service_devices (PsDeviceManager *self, gint64 now)
{
  for (guint i = 0; i < self->devices->len;)
    {
      PsDriverDevice *device = g_ptr_array_index (self->devices, i);

      if (device->gone)
        {
          /* An unplug seen by a transfer before the hotplug event. */
          cancel_transfer (self, device);
          g_hash_table_remove (self->seen, device->usb_device);
          remove_device (self, device);
          continue;
        }
      i++;
      if (!device->claimed)
        continue;

      if (device->needs_clear_halt)
        {
          device->needs_clear_halt = FALSE;
          int rc = libusb_clear_halt (device->handle, device->endpoint);
          ps_driver_emit_error (device, rc == LIBUSB_SUCCESS
                                            ? _ ("The device stalled; it was reset and goes on.")
                                            : _ ("The device stalled and could not be reset."));
          if (rc != LIBUSB_SUCCESS)
            device->transfer_errors++;
        }

      if (device->transfer_errors >= MAX_TRANSFER_ERRORS &&
          device->info->state == PS_DEVICE_STATE_CONNECTED)
        ps_driver_device_set_state (
            device, PS_DEVICE_STATE_ERROR,
            _ ("The device keeps failing; unplug it and plug it in again."));
      else if (device->transfer_errors < MAX_TRANSFER_ERRORS)
        submit (device);

      if (device->driver->tick != NULL)
        device->driver->tick (device->driver_state, device, now);

      /* A device that should speak often and is silent is stuck. */
      if (device->driver->idle_timeout_us > 0 && !device->silence_reported &&
          now - MAX (device->last_report_us, device->opened_us) > device->driver->idle_timeout_us)
        {
          device->silence_reported = TRUE;
          ps_driver_emit_error (device, _ (device->driver->idle_message));
        }
    }
}

static gpointer
device_thread (gpointer data)
{
  PsDeviceManager *self = data;
  gboolean first = TRUE;

  if (self->hotplug)
    {
      int rc = libusb_hotplug_register_callback (
          self->usb, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
          LIBUSB_HOTPLUG_ENUMERATE, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
          LIBUSB_HOTPLUG_MATCH_ANY, hotplug_cb, self, &self->hotplug_handle);
      if (rc != LIBUSB_SUCCESS)
        {
          g_message ("USB hotplug could not be registered (%s); looking for devices every 2 "
                     "seconds instead",
                     libusb_strerror (rc));
          self->hotplug = FALSE;
        }
    }

  while (!g_atomic_int_get (&self->stopping))
    {
      struct timeval tv = { 0, LOOP_TIMEOUT_US };
      libusb_handle_events_timeout_completed (self->usb, &tv, NULL);
      gint64 now = g_get_monotonic_time ();

      if (!self->hotplug && now - self->last_poll_us >= POLL_INTERVAL_US)
        {
          self->last_poll_us = now;
          g_mutex_lock (&self->lock);
          poll_devices (self);
          g_mutex_unlock (&self->lock);
        }

      g_autoptr (GPtrArray) arrivals = NULL;
      g_autoptr (GPtrArray) departures = NULL;
      g_autoptr (GPtrArray) zero_requests = NULL;
      take_queues (self, &arrivals, &departures, &zero_requests);

      for (guint i = 0; i < departures->len; i++)
        {
          depart (self, g_ptr_array_index (departures, i));
          libusb_unref_device (g_ptr_array_index (departures, i));
        }
      for (guint i = 0; i < arrivals->len; i++)
        {
          libusb_device *device = g_ptr_array_index (arrivals, i);
          /* Enumeration and a hotplug event may report the same device. */
          if (!g_hash_table_contains (self->seen, device))
            {
              g_hash_table_add (self->seen, libusb_ref_device (device));
              probe (self, device);
            }
          libusb_unref_device (device);
        }
      for (guint i = 0; i < zero_requests->len; i++)
        zero_device (self, g_ptr_array_index (zero_requests, i));

      service_devices (self, now);

      /* The devices present at start have been probed. */
      if (first)
        {
          first = FALSE;
          ps_event_post (ps_event_new (self, EVENT_ENUMERATED, NULL));
        }
    }

  if (self->hotplug)
    libusb_hotplug_deregister_callback (self->usb, self->hotplug_handle);
  while (self->devices->len > 0)
    {
      PsDriverDevice *device = g_ptr_array_index (self->devices, 0);
      device->gone = TRUE;
      cancel_transfer (self, device);
      release_device (self, device);
    }
  return NULL;
}

/* ---- The object --------------------------------------------------------------------------------
 */

static void
ps_device_manager_dispose (GObject *object)
{
  ps_device_manager_stop (PS_DEVICE_MANAGER (object));
  G_OBJECT_CLASS (ps_device_manager_parent_class)->dispose (object);
}

static void
unref_seen (gpointer device)
{
  libusb_unref_device (device);
}

static void
ps_device_manager_finalize (GObject *object)
{
  PsDeviceManager *self = PS_DEVICE_MANAGER (object);

  g_ptr_array_unref (self->devices);
  g_hash_table_unref (self->seen);
  g_ptr_array_unref (self->arrivals);
  g_ptr_array_unref (self->departures);
  g_ptr_array_unref (self->zero_requests);
  g_ptr_array_unref (self->known);
  g_array_unref (self->keyboard_ids);
  if (self->usb != NULL)
    libusb_exit (self->usb);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (ps_device_manager_parent_class)->finalize (object);
}

static void
ps_device_manager_class_init (PsDeviceManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GType type = G_TYPE_FROM_CLASS (klass);

  object_class->dispose = ps_device_manager_dispose;
  object_class->finalize = ps_device_manager_finalize;

  ps_device_manager_signals[SIGNAL_DEVICE_ADDED] =
      g_signal_new ("device-added", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                    PS_TYPE_DEVICE_INFO | G_SIGNAL_TYPE_STATIC_SCOPE);
  ps_device_manager_signals[SIGNAL_DEVICE_REMOVED] =
      g_signal_new ("device-removed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                    PS_TYPE_DEVICE_INFO | G_SIGNAL_TYPE_STATIC_SCOPE);
  ps_device_manager_signals[SIGNAL_DEVICE_STATE_CHANGED] =
      g_signal_new ("device-state-changed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, PS_TYPE_DEVICE_INFO | G_SIGNAL_TYPE_STATIC_SCOPE);
  ps_device_manager_signals[SIGNAL_WEIGHT] =
      g_signal_new ("weight", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                    PS_TYPE_DEVICE_INFO | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_INT, G_TYPE_INT64);
  ps_device_manager_signals[SIGNAL_SCAN] =
      g_signal_new ("scan", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                    PS_TYPE_DEVICE_INFO | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_STRING, G_TYPE_STRING);
  ps_device_manager_signals[SIGNAL_ENUMERATED] =
      g_signal_new ("enumerated", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  ps_device_manager_signals[SIGNAL_DEVICE_ERROR] =
      g_signal_new ("device-error", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                    PS_TYPE_DEVICE_INFO | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_STRING);
}

static void
ps_device_manager_init (PsDeviceManager *self)
{
  g_mutex_init (&self->lock);
  self->context = g_main_context_ref_thread_default ();
  self->arrivals = g_ptr_array_new ();
  self->departures = g_ptr_array_new ();
  self->zero_requests = g_ptr_array_new_with_free_func (g_free);
  self->seen = g_hash_table_new_full (NULL, NULL, unref_seen, NULL);
  self->devices = g_ptr_array_new_with_free_func ((GDestroyNotify) driver_device_free);
  self->known = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_device_info_free);
  self->keyboard_ids = g_array_new (FALSE, FALSE, sizeof (guint32));
}

PsDeviceManager *
ps_device_manager_new (const char *const *scanner_ids, GError **error)
{
  g_autoptr (PsDeviceManager) self = g_object_new (PS_TYPE_DEVICE_MANAGER, NULL);

  for (guint i = 0; scanner_ids != NULL && scanner_ids[i] != NULL; i++)
    {
      guint16 vendor, product;
      if (!ps_usb_id_parse (scanner_ids[i], &vendor, &product))
        {
          g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                       _ ("‘%s’ is not a USB id; write it as vvvv:pppp in hexadecimal."),
                       scanner_ids[i]);
          return NULL;
        }
      guint32 key = (guint32) vendor << 16 | product;
      g_array_append_val (self->keyboard_ids, key);
    }

  int rc = libusb_init (&self->usb);
  if (rc != LIBUSB_SUCCESS)
    {
      self->usb = NULL;
      ps_usb_error_to_gerror (rc, _ ("USB access could not start"), error);
      return NULL;
    }
  self->hotplug = libusb_has_capability (LIBUSB_CAP_HAS_HOTPLUG) != 0;
  return g_steal_pointer (&self);
}

gboolean
ps_device_manager_start (PsDeviceManager *self, GError **error)
{
  g_return_val_if_fail (PS_IS_DEVICE_MANAGER (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  if (!self->hotplug)
    g_message ("USB hotplug is not available; looking for devices every 2 seconds");
  self->thread = g_thread_try_new ("ps-devices", device_thread, self, error);
  return self->thread != NULL;
}

void
ps_device_manager_stop (PsDeviceManager *self)
{
  g_return_if_fail (PS_IS_DEVICE_MANAGER (self));

  if (self->thread == NULL)
    return;
  g_atomic_int_set (&self->stopping, 1);
  libusb_interrupt_event_handler (self->usb);
  g_thread_join (g_steal_pointer (&self->thread));
}

gboolean
ps_device_manager_is_enumerated (PsDeviceManager *self)
{
  g_return_val_if_fail (PS_IS_DEVICE_MANAGER (self), FALSE);
  return self->enumerated;
}

gboolean
ps_device_manager_has_hotplug (PsDeviceManager *self)
{
  g_return_val_if_fail (PS_IS_DEVICE_MANAGER (self), FALSE);
  return self->hotplug;
}

GPtrArray *
ps_device_manager_get_devices (PsDeviceManager *self)
{
  g_return_val_if_fail (PS_IS_DEVICE_MANAGER (self), NULL);

  GPtrArray *devices = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_device_info_free);
  for (guint i = 0; i < self->known->len; i++)
    g_ptr_array_add (devices, ps_device_info_copy (g_ptr_array_index (self->known, i)));
  return devices;
}

void
ps_device_manager_zero_scale (PsDeviceManager *self, const char *id)
{
  g_return_if_fail (PS_IS_DEVICE_MANAGER (self));
  g_return_if_fail (id != NULL);

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->zero_requests, g_strdup (id));
  g_mutex_unlock (&self->lock);
  libusb_interrupt_event_handler (self->usb);
}
