/* ps-usb.c — libusb result codes, and choosing a driver for a device. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "parcelscreen/ps-error.h"
#include "ps-decoders.h"
#include "ps-usb.h"

#define HID_CLASS             3
#define HID_DESCRIPTOR_TYPE   0x21
#define HID_REPORT_DESCRIPTOR 0x22
#define CONTROL_TIMEOUT_MS    1000

void
ps_usb_error_to_gerror (int rc, const char *what, GError **error)
{
  PsError code = PS_ERROR_FAILED;

  /* A switch on the enum, so that the compiler names a code left out. */
  switch ((enum libusb_error) rc)
    {
      case LIBUSB_ERROR_ACCESS:
        code = PS_ERROR_PERMISSION;
        break;
      case LIBUSB_ERROR_NO_DEVICE:
      case LIBUSB_ERROR_NOT_FOUND:
        code = PS_ERROR_NO_DEVICE;
        break;
      case LIBUSB_ERROR_BUSY:
        code = PS_ERROR_DEVICE_BUSY;
        break;
      case LIBUSB_ERROR_TIMEOUT:
        code = PS_ERROR_TIMED_OUT;
        break;
      case LIBUSB_ERROR_IO:
      case LIBUSB_ERROR_PIPE:
      case LIBUSB_ERROR_OVERFLOW:
        code = PS_ERROR_DEVICE_IO;
        break;
      case LIBUSB_ERROR_INVALID_PARAM:
      case LIBUSB_ERROR_INTERRUPTED:
      case LIBUSB_ERROR_NO_MEM:
      case LIBUSB_ERROR_NOT_SUPPORTED:
      case LIBUSB_ERROR_OTHER:
      case LIBUSB_SUCCESS:
        break;
    }
  g_set_error (error, PS_ERROR, code, "%s: %s", what, libusb_strerror (rc));
}

static const PsUsbId *
find_id (const PsUsbId *ids, guint16 vendor, guint16 product, gboolean vendor_entries)
{
  for (const PsUsbId *id = ids; id->vendor != 0; id++)
    if (id->vendor == vendor && (vendor_entries ? id->product == 0 : id->product == product))
      return id;
  return NULL;
}

static gboolean
keyboard_id_configured (const PsProbeContext *context, guint16 vendor, guint16 product)
{
  guint32 key = (guint32) vendor << 16 | product;
  for (guint i = 0; context->keyboard_ids != NULL && i < context->keyboard_ids->len; i++)
    if (g_array_index (context->keyboard_ids, guint32, i) == key)
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

/* Reads the report descriptor of an interface of configuration
 * @configuration: with a control request, or, when the kernel's HID driver
 * holds the interface, from sysfs. */
static GBytes *
read_report_descriptor (libusb_device_handle *handle, libusb_device *device, guint8 configuration,
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
  g_string_append_printf (path, ":%u.%u", configuration, alt->bInterfaceNumber);
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

/* The interface's interrupt-IN endpoint, or NULL. */
static const struct libusb_endpoint_descriptor *
interrupt_in (const struct libusb_interface_descriptor *alt)
{
  const struct libusb_endpoint_descriptor *in = NULL;
  for (int e = 0; e < alt->bNumEndpoints; e++)
    if ((alt->endpoint[e].bEndpointAddress & LIBUSB_ENDPOINT_IN) &&
        (alt->endpoint[e].bmAttributes & 0x03) == LIBUSB_TRANSFER_TYPE_INTERRUPT)
      in = &alt->endpoint[e];
  return in;
}

/* The driver for one HID interface of @device, or NULL; may open the device
 * into @out->handle to read the report descriptor. */
static const PsDriver *
choose_driver (libusb_device *device, const struct libusb_device_descriptor *descriptor,
               guint8 configuration, const struct libusb_interface_descriptor *alt,
               const PsProbeContext *context, PsProbeResult *out)
{
  gboolean boot_keyboard = alt->bInterfaceSubClass == 1 && alt->bInterfaceProtocol == 1;
  const PsUsbId *known = NULL;

  /* 1. The drivers' ID tables. */
  for (const PsDriver *const *d = ps_drivers; *d != NULL; d++)
    if (!(*d)->boot_keyboard &&
        (known = find_id ((*d)->ids, descriptor->idVendor, descriptor->idProduct, FALSE)) != NULL)
      {
        out->name = known->name;
        return *d;
      }

  /* 2. A keyboard interface, only of a scanner maker or a configured ID. */
  for (const PsDriver *const *d = ps_drivers; boot_keyboard && *d != NULL; d++)
    if ((*d)->boot_keyboard)
      {
        known = find_id ((*d)->ids, descriptor->idVendor, 0, TRUE);
        if (known != NULL ||
            keyboard_id_configured (context, descriptor->idVendor, descriptor->idProduct))
          {
            out->name = known != NULL ? known->name : NULL;
            return *d;
          }
      }
  if (boot_keyboard)
    return NULL;

  /* 3. Any other HID interface: a scale's or POS scanner's report
   * descriptor says what it is. */
  if (out->handle == NULL && libusb_open (device, &out->handle) != LIBUSB_SUCCESS)
    return NULL;
  g_autoptr (GBytes) report = read_report_descriptor (out->handle, device, configuration, alt);
  gsize len = 0;
  const guint8 *bytes = report != NULL ? g_bytes_get_data (report, &len) : NULL;
  for (const PsDriver *const *d = ps_drivers; bytes != NULL && *d != NULL; d++)
    if ((*d)->usage_page != 0 && ps_hid_descriptor_has_usage_page (bytes, len, (*d)->usage_page))
      {
        out->name = NULL;
        return *d;
      }
  return NULL;
}

gboolean
ps_usb_probe (libusb_device *device, const PsProbeContext *context, PsProbeResult *out)
{
  struct libusb_device_descriptor descriptor;
  struct libusb_config_descriptor *config = NULL;

  memset (out, 0, sizeof *out);
  if (libusb_get_device_descriptor (device, &descriptor) != LIBUSB_SUCCESS ||
      libusb_get_active_config_descriptor (device, &config) != LIBUSB_SUCCESS)
    return FALSE;

  for (int i = 0; out->driver == NULL && i < config->bNumInterfaces; i++)
    {
      if (config->interface[i].num_altsetting < 1)
        continue;
      const struct libusb_interface_descriptor *alt = &config->interface[i].altsetting[0];
      const struct libusb_endpoint_descriptor *in = interrupt_in (alt);
      if (alt->bInterfaceClass != HID_CLASS || in == NULL)
        continue;
      out->driver =
          choose_driver (device, &descriptor, config->bConfigurationValue, alt, context, out);
      if (out->driver != NULL)
        {
          out->interface = alt->bInterfaceNumber;
          out->endpoint = in->bEndpointAddress;
          out->packet_size = in->wMaxPacketSize > 0 ? in->wMaxPacketSize : 64;
        }
    }
  libusb_free_config_descriptor (config);

  if (out->driver == NULL && out->handle != NULL)
    g_clear_pointer (&out->handle, libusb_close);
  return out->driver != NULL;
}
