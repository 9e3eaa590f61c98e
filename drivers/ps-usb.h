/* ps-usb.h — the device manager's libusb helpers: result codes into PsError
 * codes, and probing a device for a driver. Private to drivers/. */
#pragma once

#include <libusb.h>

#include "ps-driver.h"

G_BEGIN_DECLS

/**
 * ps_usb_error_to_gerror:
 * @rc: a libusb result code (enum libusb_error), not %LIBUSB_SUCCESS
 * @what: what was being done, for the message ("DYMO M10: reading")
 *
 * Sets @error with the PsError code a caller can act on: %PS_ERROR_PERMISSION
 * (no access: the udev rule), %PS_ERROR_NO_DEVICE (unplugged),
 * %PS_ERROR_DEVICE_BUSY (another program or driver holds it),
 * %PS_ERROR_TIMED_OUT, %PS_ERROR_DEVICE_IO (transfer, pipe, overflow) or
 * %PS_ERROR_FAILED.
 */
void ps_usb_error_to_gerror (int rc, const char *what, GError **error);

typedef struct
{
  const GArray *keyboard_ids; /* guint32 vendor << 16 | product, configured */
} PsProbeContext;

/**
 * PsProbeResult:
 * @driver: the driver that takes the device
 * @interface: its interface number
 * @endpoint: its interrupt-IN endpoint
 * @packet_size: the endpoint's packet size
 * @name: (nullable): the model's name from the driver's ID table
 * @handle: (nullable): the device, if probing opened it; the caller closes it
 */
typedef struct
{
  const PsDriver *driver;
  int interface;
  guint8 endpoint;
  int packet_size;
  const char *name;
  libusb_device_handle *handle;
} PsProbeResult;

/**
 * ps_usb_probe:
 *
 * Chooses a driver for @device: by the drivers' ID tables, by a scanner
 * maker's (or a configured) keyboard interface, or by the HID report
 * descriptor of any other HID interface (never a keyboard's). Reading a
 * descriptor may open the device.
 *
 * Returns: %TRUE with @out filled, or %FALSE if no driver takes the device
 *   (then nothing is left open)
 */
gboolean ps_usb_probe (libusb_device *device, const PsProbeContext *context, PsProbeResult *out);

G_END_DECLS
