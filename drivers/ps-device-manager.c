/* ps-device-manager.c — the USB device manager: the only code that calls
 * libusb_*.
 *
 * One libusb context and one thread ("device thread") that runs its events.
 * Hotplug callbacks only queue the device; the thread then probes it outside
 * any callback (sync requests may run there), picks a driver from the ID
 * tables, a scanner maker's keyboard interface, or the report descriptor of
 * a scale or HID POS scanner, claims it and keeps one interrupt transfer in
 * flight. Everything the drivers report is copied into an event and handed
 * to the main context of the thread that made the manager.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <libusb.h>
#include <string.h>

#include "parcelscreen/ps-error.h"
#include "parcelscreen/ps-text.h"
#include "ps-decoders.h"
#include "ps-driver.h"

#define LOOP_TIMEOUT_US       (50 * 1000)
#define POLL_INTERVAL_US      (2 * G_USEC_PER_SEC)
#define SILENT_SCALE_US       (5 * G_USEC_PER_SEC)
#define MAX_TRANSFER_ERRORS   20
#define HID_CLASS             3
#define HID_DESCRIPTOR_TYPE   0x21
#define HID_REPORT_DESCRIPTOR 0x22
#define CONTROL_TIMEOUT_MS    1000

static const PsDriver *const ps_drivers[] = {
  &ps_driver_scale_hid_pos,
  &ps_driver_scanner_hid_pos,
  &ps_driver_scanner_hid_keyboard,
};

typedef enum
{
  EVENT_ADDED,
  EVENT_REMOVED,
  EVENT_STATE,
  EVENT_WEIGHT,
  EVENT_SCAN,
  EVENT_ERROR,
  EVENT_ENUMERATED,
} PsEventType;

struct _PsDriverDevice
{
  PsDeviceManager *manager;
  libusb_device *device;
  libusb_device_handle *handle;
  const PsDriver *driver;
  gpointer driver_state;
  int interface;
  guint8 endpoint;
  int packet_size;
  gboolean detached;
  gboolean claimed;
  struct libusb_transfer *transfer;
  guint8 *buffer;
  gboolean in_flight;
  gboolean needs_clear_halt;
  gboolean gone;
  guint transfer_errors;
  gint64 opened_us;
  gint64 last_report_us;
  gboolean silence_reported;
  char *last_error;
  PsDeviceInfo *info;
};

struct _PsDeviceManager
{
  GObject parent_instance;

  GMainContext *context;
  libusb_context *usb;
  GThread *thread;
  gint stopping;
  gboolean hotplug;
  libusb_hotplug_callback_handle hotplug_handle;

  GArray *keyboard_ids; /* guint32 vendor << 16 | product, configured */

  /* Shared with the device thread. */
  GMutex lock;
  GPtrArray *arrivals;      /* libusb_device, referenced */
  GPtrArray *departures;    /* libusb_device, referenced */
  GPtrArray *zero_requests; /* char *id */

  /* Device thread only. */
  GHashTable *seen;   /* libusb_device → TRUE: probed, claimed or not */
  GPtrArray *devices; /* PsDriverDevice */
  gint64 last_poll_us;

  /* Main context only: what "device-*" signals have said. */
  GPtrArray *known; /* PsDeviceInfo */
  gboolean enumerated;
};

G_DEFINE_FINAL_TYPE (PsDeviceManager, ps_device_manager, G_TYPE_OBJECT)

enum
{
  SIGNAL_DEVICE_ADDED,
  SIGNAL_DEVICE_REMOVED,
  SIGNAL_DEVICE_STATE_CHANGED,
  SIGNAL_WEIGHT,
  SIGNAL_SCAN,
  SIGNAL_DEVICE_ERROR,
  SIGNAL_ENUMERATED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* ---- Device information ---------------------------------------------------------- */

PsDeviceInfo *
ps_device_info_copy (const PsDeviceInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  PsDeviceInfo *copy = g_memdup2 (info, sizeof *info);
  copy->id = g_strdup (info->id);
  copy->name = g_strdup (info->name);
  copy->driver = g_strdup (info->driver);
  copy->message = g_strdup (info->message);
  return copy;
}

void
ps_device_info_free (PsDeviceInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->name);
  g_free (info->driver);
  g_free (info->message);
  g_free (info);
}

const char *
ps_device_kind_to_id (PsDeviceKind kind)
{
  switch (kind)
    {
      case PS_DEVICE_KIND_SCALE:
        return "scale";
      case PS_DEVICE_KIND_SCANNER:
        return "scanner";
    }
  g_return_val_if_reached (NULL);
}

const char *
ps_device_state_to_id (PsDeviceState state)
{
  switch (state)
    {
      case PS_DEVICE_STATE_CONNECTED:
        return "connected";
      case PS_DEVICE_STATE_NO_PERMISSION:
        return "no-permission";
      case PS_DEVICE_STATE_BUSY:
        return "busy";
      case PS_DEVICE_STATE_ERROR:
        return "error";
      case PS_DEVICE_STATE_REMOVED:
        return "removed";
    }
  g_return_val_if_reached (NULL);
}

const char *
ps_device_state_label (PsDeviceState state)
{
  switch (state)
    {
      case PS_DEVICE_STATE_CONNECTED:
        return _ ("Connected");
      case PS_DEVICE_STATE_NO_PERMISSION:
        return _ ("No permission");
      case PS_DEVICE_STATE_BUSY:
        return _ ("In use by another program");
      case PS_DEVICE_STATE_ERROR:
        return _ ("Error");
      case PS_DEVICE_STATE_REMOVED:
        return _ ("Unplugged");
    }
  g_return_val_if_reached (NULL);
}

/* ---- Events: from the device thread to the main context --------------------------- */

typedef struct
{
  PsDeviceManager *manager;
  PsEventType type;
  PsDeviceInfo *info;
  int status;
  gint64 milligrams;
  char *text;
  char *symbology;
} PsEvent;

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
        g_signal_emit (self, signals[SIGNAL_DEVICE_ADDED], 0, event->info);
        break;
      case EVENT_REMOVED:
        update_known (self, event->info, TRUE);
        g_signal_emit (self, signals[SIGNAL_DEVICE_REMOVED], 0, event->info);
        break;
      case EVENT_STATE:
        update_known (self, event->info, FALSE);
        g_signal_emit (self, signals[SIGNAL_DEVICE_STATE_CHANGED], 0, event->info);
        break;
      case EVENT_WEIGHT:
        g_signal_emit (self, signals[SIGNAL_WEIGHT], 0, event->info, event->status,
                       event->milligrams);
        break;
      case EVENT_SCAN:
        g_signal_emit (self, signals[SIGNAL_SCAN], 0, event->info, event->text, event->symbology);
        break;
      case EVENT_ERROR:
        g_signal_emit (self, signals[SIGNAL_DEVICE_ERROR], 0, event->info, event->text);
        break;
      case EVENT_ENUMERATED:
        self->enumerated = TRUE;
        g_signal_emit (self, signals[SIGNAL_ENUMERATED], 0);
        break;
    }
  return G_SOURCE_REMOVE;
}

static PsEvent *
new_event (PsDeviceManager *self, PsEventType type, const PsDeviceInfo *info)
{
  PsEvent *event = g_new0 (PsEvent, 1);
  event->manager = g_object_ref (self);
  event->type = type;
  event->info = info != NULL ? ps_device_info_copy (info) : NULL;
  return event;
}

static void
post (PsEvent *event)
{
  g_main_context_invoke_full (event->manager->context, G_PRIORITY_DEFAULT, dispatch_event, event,
                              (GDestroyNotify) ps_event_free);
}

void
ps_driver_emit_weight (PsDriverDevice *device, int status, gint64 milligrams)
{
  PsEvent *event = new_event (device->manager, EVENT_WEIGHT, device->info);
  event->status = status;
  event->milligrams = milligrams;
  post (event);
}

void
ps_driver_emit_scan (PsDriverDevice *device, const char *text, const char *symbology)
{
  PsEvent *event = new_event (device->manager, EVENT_SCAN, device->info);
  event->text = g_strdup (text);
  event->symbology = g_strdup (symbology);
  post (event);
}

void
ps_driver_emit_error (PsDriverDevice *device, const char *message)
{
  if (g_strcmp0 (device->last_error, message) == 0)
    return;
  g_free (device->last_error);
  device->last_error = g_strdup (message);
  g_message ("%s %s: %s", device->info->driver, device->info->id, message);

  PsEvent *event = new_event (device->manager, EVENT_ERROR, device->info);
  event->text = g_strdup (message);
  post (event);
}

void
ps_driver_clear_error (PsDriverDevice *device)
{
  g_clear_pointer (&device->last_error, g_free);
}

static void
set_state (PsDriverDevice *device, PsDeviceState state, const char *message)
{
  device->info->state = state;
  g_free (device->info->message);
  device->info->message = g_strdup (message);
  post (new_event (device->manager, EVENT_STATE, device->info));
}

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
  libusb_unref_device (device->device);
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
      g_autofree char *message =
          g_strdup_printf (_ ("Reading from the device failed: %s"), libusb_strerror (rc));
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

static const PsUsbId *
find_id (const PsUsbId *ids, guint16 vendor, guint16 product, gboolean vendor_entries)
{
  for (const PsUsbId *id = ids; id->vendor != 0; id++)
    if (id->vendor == vendor && (vendor_entries ? id->product == 0 : id->product == product))
      return id;
  return NULL;
}

static gboolean
keyboard_id_configured (PsDeviceManager *self, guint16 vendor, guint16 product)
{
  guint32 key = (guint32) vendor << 16 | product;
  for (guint i = 0; i < self->keyboard_ids->len; i++)
    if (g_array_index (self->keyboard_ids, guint32, i) == key)
      return TRUE;
  return FALSE;
}

/* The length of the interface's report descriptor, from its HID descriptor. */
static guint
report_descriptor_length (const struct libusb_interface_descriptor *alt)
{
  const guint8 *extra = alt->extra;
  int left = alt->extra_length;

  while (left >= 2 && extra[0] >= 2 && extra[0] <= left)
    {
      if (extra[1] == HID_DESCRIPTOR_TYPE && extra[0] >= 9)
        return (guint) (extra[7] | extra[8] << 8);
      left -= extra[0];
      extra += extra[0];
    }
  return 0;
}

/* Reads the report descriptor of interface @number: with a control request,
 * or, when the kernel's HID driver holds the interface, from sysfs. */
static GBytes *
read_report_descriptor (libusb_device_handle *handle, libusb_device *device,
                        const struct libusb_interface_descriptor *alt)
{
  guint length = report_descriptor_length (alt);
  if (length == 0 || length > 4096)
    length = 1024;
  g_autofree guint8 *buffer = g_malloc (length);

  int rc = libusb_control_transfer (
      handle, LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_STANDARD | LIBUSB_RECIPIENT_INTERFACE,
      LIBUSB_REQUEST_GET_DESCRIPTOR, HID_REPORT_DESCRIPTOR << 8, alt->bInterfaceNumber, buffer,
      (guint16) length, CONTROL_TIMEOUT_MS);
  if (rc > 0)
    return g_bytes_new (buffer, (gsize) rc);

  /* /sys/bus/usb/devices/BUS-PORT.PORT:CONFIG.INTERFACE/XXXX:VVVV:PPPP.NNNN/report_descriptor */
  guint8 ports[8];
  int n_ports = libusb_get_port_numbers (device, ports, sizeof ports);
  if (n_ports <= 0)
    return NULL;
  GString *path = g_string_new (NULL);
  g_string_printf (path, "/sys/bus/usb/devices/%u-", libusb_get_bus_number (device));
  for (int i = 0; i < n_ports; i++)
    g_string_append_printf (path, i == 0 ? "%u" : ".%u", ports[i]);
  g_string_append_printf (path, ":1.%u", alt->bInterfaceNumber);
  g_autofree char *interface_dir = g_string_free (path, FALSE);

  g_autoptr (GDir) dir = g_dir_open (interface_dir, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (interface_dir, name, "report_descriptor", NULL);
      char *contents = NULL;
      gsize len = 0;
      if (g_file_get_contents (file, &contents, &len, NULL))
        return g_bytes_new_take (contents, len);
    }
  return NULL;
}

static char *
usb_id (guint16 vendor, guint16 product)
{
  return g_strdup_printf ("%04x:%04x", vendor, product);
}

static PsDeviceInfo *
new_info (libusb_device *device, const struct libusb_device_descriptor *descriptor,
          const PsDriver *driver, const char *name)
{
  PsDeviceInfo *info = g_new0 (PsDeviceInfo, 1);
  info->id = usb_id (descriptor->idVendor, descriptor->idProduct);
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

/* Chooses the driver and interface for @device, or none. May open the
 * device to read a report descriptor; then @handle is returned open. */
static const PsDriver *
choose_driver (PsDeviceManager *self, libusb_device *device,
               const struct libusb_device_descriptor *descriptor,
               const struct libusb_config_descriptor *config, int *interface, guint8 *endpoint,
               int *packet_size, const char **name, libusb_device_handle **handle, int *open_rc)
{
  for (int i = 0; i < config->bNumInterfaces; i++)
    {
      if (config->interface[i].num_altsetting < 1)
        continue;
      const struct libusb_interface_descriptor *alt = &config->interface[i].altsetting[0];
      if (alt->bInterfaceClass != HID_CLASS)
        continue;

      const struct libusb_endpoint_descriptor *in = NULL;
      for (int e = 0; e < alt->bNumEndpoints; e++)
        if ((alt->endpoint[e].bEndpointAddress & LIBUSB_ENDPOINT_IN) &&
            (alt->endpoint[e].bmAttributes & 0x03) == LIBUSB_TRANSFER_TYPE_INTERRUPT)
          in = &alt->endpoint[e];
      if (in == NULL)
        continue;

      gboolean boot_keyboard = alt->bInterfaceSubClass == 1 && alt->bInterfaceProtocol == 1;
      const PsDriver *chosen = NULL;
      const PsUsbId *known = NULL;

      /* 1. The drivers' ID tables. */
      for (guint d = 0; chosen == NULL && d < G_N_ELEMENTS (ps_drivers); d++)
        if (!ps_drivers[d]->boot_keyboard &&
            (known = find_id (ps_drivers[d]->ids, descriptor->idVendor, descriptor->idProduct,
                              FALSE)) != NULL)
          chosen = ps_drivers[d];

      /* 2. A keyboard interface, only of a scanner maker or a configured ID. */
      for (guint d = 0; chosen == NULL && boot_keyboard && d < G_N_ELEMENTS (ps_drivers); d++)
        if (ps_drivers[d]->boot_keyboard)
          {
            known = find_id (ps_drivers[d]->ids, descriptor->idVendor, 0, TRUE);
            if (known != NULL ||
                keyboard_id_configured (self, descriptor->idVendor, descriptor->idProduct))
              chosen = ps_drivers[d];
          }

      /* 3. Any other HID interface: a scale's or POS scanner's report
       * descriptor says what it is. Never a keyboard's. */
      if (chosen == NULL && !boot_keyboard)
        {
          if (*handle == NULL)
            *open_rc = libusb_open (device, handle);
          if (*handle != NULL)
            {
              g_autoptr (GBytes) report = read_report_descriptor (*handle, device, alt);
              gsize len = 0;
              const guint8 *bytes = report != NULL ? g_bytes_get_data (report, &len) : NULL;
              for (guint d = 0; chosen == NULL && bytes != NULL && d < G_N_ELEMENTS (ps_drivers);
                   d++)
                if (ps_drivers[d]->usage_page != 0 &&
                    ps_hid_descriptor_has_usage_page (bytes, len, ps_drivers[d]->usage_page))
                  chosen = ps_drivers[d];
            }
        }

      if (chosen != NULL)
        {
          *interface = alt->bInterfaceNumber;
          *endpoint = in->bEndpointAddress;
          *packet_size = in->wMaxPacketSize > 0 ? in->wMaxPacketSize : 64;
          *name = known != NULL ? known->name : NULL;
          return chosen;
        }
    }
  return NULL;
}

static PsDriverDevice *
find_device (PsDeviceManager *self, libusb_device *device)
{
  for (guint i = 0; i < self->devices->len; i++)
    {
      PsDriverDevice *candidate = g_ptr_array_index (self->devices, i);
      if (candidate->device == device)
        return candidate;
    }
  return NULL;
}

static void
probe (PsDeviceManager *self, libusb_device *device)
{
  struct libusb_device_descriptor descriptor;
  struct libusb_config_descriptor *config = NULL;
  libusb_device_handle *handle = NULL;
  int open_rc = LIBUSB_SUCCESS;
  int interface = 0, packet_size = 0;
  guint8 endpoint = 0;
  const char *name = NULL;

  if (libusb_get_device_descriptor (device, &descriptor) != LIBUSB_SUCCESS ||
      libusb_get_active_config_descriptor (device, &config) != LIBUSB_SUCCESS)
    return;

  const PsDriver *driver = choose_driver (self, device, &descriptor, config, &interface, &endpoint,
                                          &packet_size, &name, &handle, &open_rc);
  libusb_free_config_descriptor (config);
  if (driver == NULL)
    {
      if (handle != NULL)
        libusb_close (handle);
      g_debug ("%04x:%04x is neither a scale nor a scanner", descriptor.idVendor,
               descriptor.idProduct);
      return;
    }

  PsDriverDevice *claimed = g_new0 (PsDriverDevice, 1);
  claimed->manager = self;
  claimed->device = libusb_ref_device (device);
  claimed->driver = driver;
  claimed->interface = interface;
  claimed->endpoint = endpoint;
  claimed->packet_size = packet_size;
  claimed->info = new_info (device, &descriptor, driver, name);
  g_ptr_array_add (self->devices, claimed);

  if (handle == NULL)
    open_rc = libusb_open (device, &handle);
  claimed->handle = handle;
  post (new_event (self, EVENT_ADDED, claimed->info));

  if (open_rc == LIBUSB_ERROR_ACCESS)
    {
      g_autofree char *message = g_strdup_printf (
          _ ("No permission to open %s; install the udev rule %s (from the data folder) and "
             "plug the device in again."),
          claimed->info->id, PS_UDEV_RULE_NAME);
      set_state (claimed, PS_DEVICE_STATE_NO_PERMISSION, message);
      return;
    }
  if (handle == NULL)
    {
      g_autofree char *message = g_strdup_printf (_ ("%s cannot be opened: %s"), claimed->info->id,
                                                  libusb_strerror (open_rc));
      set_state (claimed, PS_DEVICE_STATE_ERROR, message);
      return;
    }

  /* Detach the kernel's driver only when one is bound; a failure is not fatal. */
  if (libusb_kernel_driver_active (handle, interface) == 1)
    {
      int rc = libusb_detach_kernel_driver (handle, interface);
      if (rc == LIBUSB_SUCCESS)
        claimed->detached = TRUE;
      else
        g_message ("%s: could not detach the kernel driver: %s", claimed->info->id,
                   libusb_strerror (rc));
    }
  int rc = libusb_claim_interface (handle, interface);
  if (rc != LIBUSB_SUCCESS)
    {
      g_autofree char *message = g_strdup_printf (
          rc == LIBUSB_ERROR_BUSY ? _ ("%s is in use by another program; close it.")
                                  : _ ("%s cannot be claimed."),
          claimed->info->id);
      set_state (claimed, rc == LIBUSB_ERROR_BUSY ? PS_DEVICE_STATE_BUSY : PS_DEVICE_STATE_ERROR,
                 message);
      return;
    }
  claimed->claimed = TRUE;
  claimed->driver_state = driver->start ();
  claimed->transfer = libusb_alloc_transfer (0);
  claimed->buffer = g_malloc0 ((gsize) packet_size);
  claimed->opened_us = g_get_monotonic_time ();
  g_info ("%s: %s (%s) claimed", claimed->info->id, claimed->info->name, driver->id);
  submit (claimed);
}

/* Releases a device whose transfer is not in flight. */
static void
remove_device (PsDeviceManager *self, PsDriverDevice *device)
{
  device->info->state = PS_DEVICE_STATE_REMOVED;
  post (new_event (self, EVENT_REMOVED, device->info));
  g_ptr_array_remove (self->devices, device);
}

/* Cancels the transfer and waits for it, so that its callback never runs on
 * freed memory. */
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

static void
zero_scale (PsDeviceManager *self, const char *id)
{
  for (guint i = 0; i < self->devices->len; i++)
    {
      PsDriverDevice *device = g_ptr_array_index (self->devices, i);
      if (device->driver->kind != PS_DEVICE_KIND_SCALE || strcmp (device->info->id, id) != 0 ||
          !device->claimed)
        continue;
      /* SET_REPORT, output report 2, bit 1: Zero Scale. */
      guint8 report[2] = { 0x02, 0x02 };
      int rc = libusb_control_transfer (
          device->handle,
          LIBUSB_ENDPOINT_OUT | LIBUSB_REQUEST_TYPE_CLASS | LIBUSB_RECIPIENT_INTERFACE, 0x09,
          0x0200 | 0x02, (guint16) device->interface, report, sizeof report, CONTROL_TIMEOUT_MS);
      if (rc < 0)
        ps_driver_emit_error (device, _ ("This scale cannot be zeroed from the computer; use its "
                                         "zero button."));
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
          g_hash_table_remove (self->seen, device->device);
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
        set_state (device, PS_DEVICE_STATE_ERROR,
                   _ ("The device keeps failing; unplug it and plug it in again."));
      else if (device->transfer_errors < MAX_TRANSFER_ERRORS)
        submit (device);

      if (device->driver->tick != NULL)
        device->driver->tick (device->driver_state, device, now);

      /* A scale reports several times a second; one that is silent is stuck. */
      if (device->driver->kind == PS_DEVICE_KIND_SCALE && !device->silence_reported &&
          now - MAX (device->last_report_us, device->opened_us) > SILENT_SCALE_US)
        {
          device->silence_reported = TRUE;
          ps_driver_emit_error (device, _ ("The scale sends no readings; check its cable and "
                                           "power."));
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
        zero_scale (self, g_ptr_array_index (zero_requests, i));

      service_devices (self, now);

      /* The devices present at start have been probed. */
      if (first)
        {
          first = FALSE;
          post (new_event (self, EVENT_ENUMERATED, NULL));
        }
    }

  if (self->hotplug)
    libusb_hotplug_deregister_callback (self->usb, self->hotplug_handle);
  for (guint i = 0; i < self->devices->len; i++)
    {
      PsDriverDevice *device = g_ptr_array_index (self->devices, i);
      device->gone = TRUE;
      cancel_transfer (self, device);
    }
  g_ptr_array_set_size (self->devices, 0);
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

  signals[SIGNAL_DEVICE_ADDED] = g_signal_new ("device-added", type, G_SIGNAL_RUN_LAST, 0, NULL,
                                               NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_DEVICE_REMOVED] = g_signal_new ("device-removed", type, G_SIGNAL_RUN_LAST, 0, NULL,
                                                 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_DEVICE_STATE_CHANGED] =
      g_signal_new ("device-state-changed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_WEIGHT] = g_signal_new ("weight", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 3, G_TYPE_POINTER, G_TYPE_INT, G_TYPE_INT64);
  signals[SIGNAL_SCAN] =
      g_signal_new ("scan", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                    G_TYPE_POINTER, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_ENUMERATED] =
      g_signal_new ("enumerated", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_DEVICE_ERROR] =
      g_signal_new ("device-error", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                    G_TYPE_POINTER, G_TYPE_STRING);
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
      g_set_error (error, PS_ERROR, PS_ERROR_FAILED, _ ("USB access could not start: %s"),
                   libusb_strerror (rc));
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
