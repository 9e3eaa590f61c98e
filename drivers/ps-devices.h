/* ps-devices.h — the counter's USB scale and barcode scanner.
 *
 * A PsDeviceManager owns one libusb context and a thread that runs its
 * events: hotplug arrivals and departures, interrupt transfers, stalls and
 * unplugs. Results reach the GLib main context of the thread that created
 * the manager as signals; no libusb call runs on that thread, so the screen
 * never waits for a device.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  PS_DEVICE_KIND_SCALE,
  PS_DEVICE_KIND_SCANNER,
} PsDeviceKind;

typedef enum
{
  PS_DEVICE_STATE_CONNECTED,
  PS_DEVICE_STATE_NO_PERMISSION, /* the udev rule is missing */
  PS_DEVICE_STATE_BUSY,          /* another program holds it */
  PS_DEVICE_STATE_ERROR,         /* it failed; see the message */
  PS_DEVICE_STATE_REMOVED,
} PsDeviceState;

/**
 * PsDeviceInfo:
 * @id: "vvvv:pppp", vendor and product in hex
 * @name: the model's name, or a description
 * @driver: the driver's id ("scale-hid-pos")
 * @kind: scale or scanner
 * @state: its state
 * @message: (nullable): what a technician should know about the state
 * @bus: the USB bus number
 * @address: the device address on the bus
 */
typedef struct
{
  char *id;
  char *name;
  char *driver;
  PsDeviceKind kind;
  PsDeviceState state;
  char *message;
  guint8 bus;
  guint8 address;
} PsDeviceInfo;

#define PS_TYPE_DEVICE_INFO (ps_device_info_get_type ())
GType ps_device_info_get_type (void);
PsDeviceInfo *ps_device_info_copy (const PsDeviceInfo *info);
void ps_device_info_free (PsDeviceInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsDeviceInfo, ps_device_info_free)

#define PS_TYPE_DEVICE_KIND  (ps_device_kind_get_type ())
#define PS_TYPE_DEVICE_STATE (ps_device_state_get_type ())
GType ps_device_kind_get_type (void);
GType ps_device_state_get_type (void);

const char *ps_device_kind_to_id (PsDeviceKind kind);
const char *ps_device_state_to_id (PsDeviceState state);
const char *ps_device_state_label (PsDeviceState state);

/** The udev rule file that gives the logged-in user access to the devices. */
#define PS_UDEV_RULE_NAME "70-parcelscreen.rules"

#define PS_TYPE_DEVICE_MANAGER (ps_device_manager_get_type ())
G_DECLARE_FINAL_TYPE (PsDeviceManager, ps_device_manager, PS, DEVICE_MANAGER, GObject)

/**
 * ps_device_manager_new:
 * @scanner_ids: (nullable) (array zero-terminated=1): "vvvv:pppp" of
 *   keyboard-mode scanners from vendors the driver does not list
 * @error: return location for a %PS_ERROR_INVALID_INPUT error (a bad id),
 *   or the code of libusb's failure to start (ps_usb_error_to_gerror())
 *
 * Signals (all in the main context of the creating thread; @info is a
 * #PsDeviceInfo valid during the emission, copied by who keeps it):
 * - "device-added" (PsDeviceInfo *info)
 * - "device-removed" (PsDeviceInfo *info)
 * - "device-state-changed" (PsDeviceInfo *info)
 * - "weight" (PsDeviceInfo *info, int status, gint64 milligrams): sent when
 *   the status or the value changes
 * - "scan" (PsDeviceInfo *info, const char *text, const char *symbology or NULL)
 * - "device-error" (PsDeviceInfo *info, const char *message): each problem
 *   once, until the device works again
 * - "enumerated" (): the devices present at start have all been added
 *
 * Returns: (transfer full): the manager, not yet started
 */
PsDeviceManager *ps_device_manager_new (const char *const *scanner_ids, GError **error);

/** Starts the device thread; devices already plugged in are added. */
gboolean ps_device_manager_start (PsDeviceManager *self, GError **error);
/** Stops the thread and releases every device (kernel drivers reattached). */
void ps_device_manager_stop (PsDeviceManager *self);

/** Returns: %TRUE once "enumerated" was emitted. */
gboolean ps_device_manager_is_enumerated (PsDeviceManager *self);
/** Returns: whether libusb reports hotplug; without it devices are polled every 2 s. */
gboolean ps_device_manager_has_hotplug (PsDeviceManager *self);

/** Returns: (transfer full) (element-type PsDeviceInfo): the devices known now. */
GPtrArray *ps_device_manager_get_devices (PsDeviceManager *self);

/**
 * ps_device_manager_zero_scale:
 * Asks the device @id to zero itself, through its driver's zero hook (a HID
 * POS scale: output report 2, bit Zero Scale). Not every device supports it;
 * a failure comes as a "device-error".
 */
void ps_device_manager_zero_scale (PsDeviceManager *self, const char *id);

G_END_DECLS
