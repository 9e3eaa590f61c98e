/* ps-usb-emulator.c — an emulated USB HID device on umockdev's ioctl handler.
 *
 * Submitted URBs are kept; a reap returns the next one that has something to
 * return: a control request's answer, a queued report for an interrupt-IN
 * URB, a stall, or ENODEV after an unplug; otherwise EAGAIN, as the kernel's
 * REAPURBNDELAY does. Written from the usbdevfs interface (linux/usbdevice_fs.h).
 */
#include "ps-usb-emulator.h"

#include <errno.h>
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <sys/ioctl.h>
#include <string.h>

typedef struct
{
  UMockdevIoctlData *urb; /* the client's struct usbdevfs_urb */
  int status;             /* to return; 0 */
  GBytes *answer;         /* control IN answer */
  gboolean discarded;     /* cancelled: reaped with ENOENT */
} PsEmulatedUrb;

struct _PsUsbEmulator
{
  UMockdevTestbed *testbed;
  UMockdevIoctlBase *handler;
  char *sys_path;
  char *dev_path;
  PsUsbEmulatorDevice device;

  GMutex lock;
  GCond drained;
  GQueue reports; /* GBytes */
  guint stalls;
  gboolean unplugged;
  GList *in_flight; /* PsEmulatedUrb */
  GHashTable *counts;
  GBytes *last_set_report;
  gint64 last_delivery_us;
};

/* The client's URB, in umockdev's copy (allocated by GLib, so aligned). */
static struct usbdevfs_urb *
urb_of (UMockdevIoctlData *data)
{
  return (struct usbdevfs_urb *) (void *) data->data;
}

static void
emulated_urb_free (PsEmulatedUrb *urb)
{
  umockdev_ioctl_data_unref (urb->urb);
  if (urb->answer != NULL)
    g_bytes_unref (urb->answer);
  g_free (urb);
}

static void
count (PsUsbEmulator *self, const char *what)
{
  g_hash_table_replace (
      self->counts, g_strdup (what),
      GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, what)) + 1));
}

/* A control request: answered when it is reaped. */
static void
submit_control (PsUsbEmulator *self, PsEmulatedUrb *emulated, struct usbdevfs_urb *urb,
                const guint8 *setup)
{
  guint8 request_type = setup[0], request = setup[1];
  guint16 value = (guint16) (setup[2] | setup[3] << 8);

  if (request_type == 0x81 && request == 0x06 && value >> 8 == 0x22)
    {
      count (self, "get-report-descriptor");
      if (self->device.report_descriptor != NULL)
        emulated->answer =
            g_bytes_new (self->device.report_descriptor, self->device.report_descriptor_len);
      else
        emulated->status = -EPIPE;
    }
  else if (request_type == 0x21 && request == 0x09)
    {
      count (self, "set-report");
      if (self->device.accept_set_report)
        {
          g_clear_pointer (&self->last_set_report, g_bytes_unref);
          self->last_set_report = g_bytes_new (setup + 8, (gsize) urb->buffer_length - 8);
        }
      else
        emulated->status = -EPIPE;
    }
  else
    emulated->status = -EPIPE;
}

/* Fills a reaped URB's buffer and status; returns FALSE if it is not done yet. */
static gboolean
complete_urb (PsUsbEmulator *self, PsEmulatedUrb *emulated)
{
  struct usbdevfs_urb *urb = urb_of (emulated->urb);

  if (emulated->discarded)
    {
      urb->status = -ENOENT;
      urb->actual_length = 0;
      return TRUE;
    }
  if (self->unplugged)
    {
      urb->status = -ENODEV;
      urb->actual_length = 0;
      return TRUE;
    }

  if (urb->type == USBDEVFS_URB_TYPE_CONTROL)
    {
      urb->status = emulated->status;
      urb->actual_length = 0;
      if (emulated->answer != NULL)
        {
          g_autoptr (UMockdevIoctlData) buffer = umockdev_ioctl_data_resolve (
              emulated->urb, G_STRUCT_OFFSET (struct usbdevfs_urb, buffer),
              (gsize) urb->buffer_length, NULL);
          gsize len = MIN (g_bytes_get_size (emulated->answer), (gsize) urb->buffer_length - 8);
          memcpy (buffer->data + 8, g_bytes_get_data (emulated->answer, NULL), len);
          urb->actual_length = (int) len;
        }
      return TRUE;
    }

  if (self->stalls > 0)
    {
      self->stalls--;
      urb->status = -EPIPE;
      urb->actual_length = 0;
      return TRUE;
    }

  GBytes *report = g_queue_pop_head (&self->reports);
  if (report == NULL)
    return FALSE;

  g_autoptr (UMockdevIoctlData) buffer =
      umockdev_ioctl_data_resolve (emulated->urb, G_STRUCT_OFFSET (struct usbdevfs_urb, buffer),
                                   (gsize) urb->buffer_length, NULL);
  gsize len = MIN (g_bytes_get_size (report), (gsize) urb->buffer_length);
  memcpy (buffer->data, g_bytes_get_data (report, NULL), len);
  urb->actual_length = (int) len;
  urb->status = 0;
  g_bytes_unref (report);
  self->last_delivery_us = g_get_monotonic_time ();
  if (g_queue_is_empty (&self->reports))
    g_cond_broadcast (&self->drained);
  return TRUE;
}

static gint
compare_address (gconstpointer data, gconstpointer address)
{
  const PsEmulatedUrb *urb = data;
  return urb->urb->client_addr != (gulong) address;
}

static gboolean
handle_ioctl_cb (UMockdevIoctlBase *handler, UMockdevIoctlClient *client, PsUsbEmulator *self)
{
  (void) handler;
  gulong request = umockdev_ioctl_client_get_request (client);
  UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg (client);
  gboolean handled = TRUE;

  g_mutex_lock (&self->lock);
  switch (request)
    {
      case USBDEVFS_GET_CAPABILITIES:
        {
          g_autoptr (UMockdevIoctlData) caps =
              umockdev_ioctl_data_resolve (arg, 0, sizeof (guint32), NULL);
          guint32 value = USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_REAP_AFTER_DISCONNECT;
          memcpy (caps->data, &value, sizeof value);
          umockdev_ioctl_client_complete (client, 0, 0);
          break;
        }

      case USBDEVFS_CLAIMINTERFACE:
        count (self, "claim");
        umockdev_ioctl_client_complete (client, 0, 0);
        break;

      case USBDEVFS_RELEASEINTERFACE:
        count (self, "release");
        umockdev_ioctl_client_complete (client, 0, 0);
        break;

      case USBDEVFS_CLEAR_HALT:
        count (self, "clear-halt");
        umockdev_ioctl_client_complete (client, 0, 0);
        break;

      case USBDEVFS_GETDRIVER:
        /* No kernel driver is bound. */
        umockdev_ioctl_client_complete (client, -1, ENODATA);
        break;

      case USBDEVFS_SUBMITURB:
        {
          if (self->unplugged)
            {
              umockdev_ioctl_client_complete (client, -1, ENODEV);
              break;
            }
          UMockdevIoctlData *data =
              umockdev_ioctl_data_resolve (arg, 0, sizeof (struct usbdevfs_urb), NULL);
          struct usbdevfs_urb *urb = urb_of (data);
          PsEmulatedUrb *emulated = g_new0 (PsEmulatedUrb, 1);
          emulated->urb = data;
          if (urb->type == USBDEVFS_URB_TYPE_CONTROL)
            {
              g_autoptr (UMockdevIoctlData) buffer =
                  umockdev_ioctl_data_resolve (data, G_STRUCT_OFFSET (struct usbdevfs_urb, buffer),
                                               (gsize) urb->buffer_length, NULL);
              submit_control (self, emulated, urb, buffer->data);
            }
          self->in_flight = g_list_append (self->in_flight, emulated);
          umockdev_ioctl_client_complete (client, 0, 0);
          break;
        }

      case USBDEVFS_REAPURB:
      case USBDEVFS_REAPURBNDELAY:
        {
          PsEmulatedUrb *done = NULL;
          for (GList *l = self->in_flight; l != NULL && done == NULL; l = l->next)
            if (complete_urb (self, l->data))
              done = l->data;
          if (done == NULL)
            {
              umockdev_ioctl_client_complete (client, -1, EAGAIN);
              break;
            }
          self->in_flight = g_list_remove (self->in_flight, done);
          g_autoptr (UMockdevIoctlData) pointer =
              umockdev_ioctl_data_resolve (arg, 0, sizeof (gpointer), NULL);
          umockdev_ioctl_data_set_ptr (pointer, 0, done->urb);
          umockdev_ioctl_client_complete (client, 0, 0);
          emulated_urb_free (done);
          break;
        }

      case USBDEVFS_DISCARDURB:
        {
          void *address;
          memcpy (&address, arg->data, sizeof address);
          GList *l = g_list_find_custom (self->in_flight, address, compare_address);
          if (l == NULL)
            {
              umockdev_ioctl_client_complete (client, -1, EINVAL);
              break;
            }
          /* Reaped next with ENOENT, as the kernel does. */
          ((PsEmulatedUrb *) l->data)->discarded = TRUE;
          umockdev_ioctl_client_complete (client, 0, 0);
          break;
        }

      default:
        handled = FALSE;
        break;
    }
  g_mutex_unlock (&self->lock);
  return handled;
}

static PsUsbEmulator *
emulator_new (UMockdevTestbed *testbed)
{
  PsUsbEmulator *self = g_new0 (PsUsbEmulator, 1);
  g_mutex_init (&self->lock);
  g_cond_init (&self->drained);
  g_queue_init (&self->reports);
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->testbed = testbed != NULL ? g_object_ref (testbed) : umockdev_testbed_new ();
  /* Known only once a testbed exists: is the preload library redirecting /sys? */
  if (!umockdev_in_mock_environment ())
    {
      ps_usb_emulator_free (self);
      return NULL;
    }
  self->handler = umockdev_ioctl_base_new ();
  g_signal_connect (self->handler, "handle-ioctl", G_CALLBACK (handle_ioctl_cb), self);
  return self;
}

PsUsbEmulator *
ps_usb_emulator_new (void)
{
  return emulator_new (NULL);
}

PsUsbEmulator *
ps_usb_emulator_new_sharing (PsUsbEmulator *first)
{
  return emulator_new (first->testbed);
}

void
ps_usb_emulator_free (PsUsbEmulator *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->handler);
  g_clear_object (&self->testbed);
  g_list_free_full (self->in_flight, (GDestroyNotify) emulated_urb_free);
  g_queue_clear_full (&self->reports, (GDestroyNotify) g_bytes_unref);
  g_hash_table_unref (self->counts);
  g_clear_pointer (&self->last_set_report, g_bytes_unref);
  g_free (self->sys_path);
  g_free (self->dev_path);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->drained);
  g_free (self);
}

static char *
descriptors_hex (const PsUsbEmulatorDevice *device)
{
  guint16 report_len = (guint16) device->report_descriptor_len;
  guint8 bytes[] = {
    /* device */
    18,
    1,
    0x00,
    0x02,
    0,
    0,
    0,
    8,
    device->vendor & 0xFF,
    device->vendor >> 8,
    device->product & 0xFF,
    device->product >> 8,
    0x01,
    0x00,
    0,
    0,
    0,
    1,
    /* configuration */
    9,
    2,
    34,
    0,
    1,
    1,
    0,
    0x80,
    50,
    /* interface */
    9,
    4,
    0,
    0,
    1,
    device->interface_class,
    device->interface_subclass,
    device->interface_protocol,
    0,
    /* HID */
    9,
    0x21,
    0x10,
    0x01,
    0,
    1,
    0x22,
    report_len & 0xFF,
    report_len >> 8,
    /* endpoint */
    7,
    5,
    device->endpoint,
    3,
    device->packet_size & 0xFF,
    device->packet_size >> 8,
    1,
  };
  GString *hex = g_string_new (NULL);
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (hex, "%02X", bytes[i]);
  return g_string_free (hex, FALSE);
}

void
ps_usb_emulator_plug (PsUsbEmulator *self, const PsUsbEmulatorDevice *device, guint devnum)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *hex = descriptors_hex (device);

  g_mutex_lock (&self->lock);
  self->device = *device;
  self->unplugged = FALSE;
  g_mutex_unlock (&self->lock);

  g_free (self->dev_path);
  self->dev_path = g_strdup_printf ("/dev/bus/usb/001/%03u", devnum);
  /* The handler first, so that the device can be opened as soon as it appears. */
  umockdev_testbed_attach_ioctl (self->testbed, self->dev_path, self->handler, &error);
  g_assert_no_error (error);
  g_autofree char *description = g_strdup_printf (
      "P: /devices/pci0000:00/0000:00:14.0/usb1/1-%u\n"
      "N: bus/usb/001/%03u\n"
      "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DEVNAME=%s\n"
      "E: BUSNUM=001\nE: DEVNUM=%03u\nE: PRODUCT=%x/%x/1\n"
      "A: busnum=1\\n\nA: devnum=%u\\n\nA: bConfigurationValue=1\\n\nA: speed=12\\n\n"
      "A: idVendor=%04x\\n\nA: idProduct=%04x\\n\n"
      "H: descriptors=%s\n",
      devnum, devnum, self->dev_path, devnum, device->vendor, device->product, devnum,
      device->vendor, device->product, hex);
  g_assert_true (umockdev_testbed_add_from_string (self->testbed, description, &error));
  g_assert_no_error (error);
  g_free (self->sys_path);
  self->sys_path = g_strdup_printf ("/sys/devices/pci0000:00/0000:00:14.0/usb1/1-%u", devnum);
}

void
ps_usb_emulator_unplug (PsUsbEmulator *self)
{
  g_mutex_lock (&self->lock);
  self->unplugged = TRUE;
  g_mutex_unlock (&self->lock);
  umockdev_testbed_remove_device (self->testbed, self->sys_path);
  umockdev_testbed_detach_ioctl (self->testbed, self->dev_path, NULL);
}

void
ps_usb_emulator_queue_report (PsUsbEmulator *self, const guint8 *data, gsize len)
{
  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->reports, g_bytes_new (data, len));
  g_mutex_unlock (&self->lock);
}

void
ps_usb_emulator_queue_stall (PsUsbEmulator *self)
{
  g_mutex_lock (&self->lock);
  self->stalls++;
  g_mutex_unlock (&self->lock);
}

guint
ps_usb_emulator_count (PsUsbEmulator *self, const char *what)
{
  g_mutex_lock (&self->lock);
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, what));
  g_mutex_unlock (&self->lock);
  return n;
}

GBytes *
ps_usb_emulator_last_set_report (PsUsbEmulator *self)
{
  g_mutex_lock (&self->lock);
  GBytes *bytes = self->last_set_report != NULL ? g_bytes_ref (self->last_set_report) : NULL;
  g_mutex_unlock (&self->lock);
  return bytes;
}

gint64
ps_usb_emulator_last_delivery_us (PsUsbEmulator *self)
{
  g_mutex_lock (&self->lock);
  gint64 time = self->last_delivery_us;
  g_mutex_unlock (&self->lock);
  return time;
}

void
ps_usb_emulator_wait_drained (PsUsbEmulator *self)
{
  g_mutex_lock (&self->lock);
  while (!g_queue_is_empty (&self->reports))
    g_cond_wait (&self->drained, &self->lock);
  g_mutex_unlock (&self->lock);
}
