/* ps-driver.h — what a driver is, for the device manager: one driver a file,
 * each a table of the devices it knows and a few callbacks. The manager never
 * names a driver: it walks ps_drivers[], which the build generates from
 * drivers/meson.build, as it generates the udev rule from the ID tables. */
#pragma once

#include <glib.h>

#include "ps-devices.h"

G_BEGIN_DECLS

typedef struct
{
  guint16 vendor;
  guint16 product; /* 0: any product of the vendor */
  const char *name;
} PsUsbId;

/* One claimed device, as the drivers see it (opaque; the manager's). */
typedef struct _PsDriverDevice PsDriverDevice;

typedef struct
{
  const char *id;
  PsDeviceKind kind;
  /* Devices known by their IDs, ended by { 0 }. */
  const PsUsbId *ids;
  /* The HID usage page that identifies unknown models from their report
   * descriptor, or 0 if there is none that is safe. */
  guint16 usage_page;
  /* Boot-keyboard interfaces of the vendors in @ids (product 0) or of
   * configured IDs; never another keyboard. */
  gboolean boot_keyboard;

  gpointer (*start) (void);
  void (*stop) (gpointer state);
  /* An interrupt-IN report; runs in the device thread. */
  void (*report) (gpointer state, PsDriverDevice *device, const guint8 *data, gsize len,
                  gint64 now_us);
  /* Called every few tens of milliseconds, for timeouts. */
  void (*tick) (gpointer state, PsDriverDevice *device, gint64 now_us);
  /* Asks the device to zero itself; runs in the device thread. %NULL: the
   * device cannot be zeroed from the computer. */
  gboolean (*zero) (gpointer state, PsDriverDevice *device, GError **error);
  /* A device of this kind reports several times a second: one silent for
   * this long is stuck, and @idle_message (marked for translation) says so once
   * until it speaks again. 0: silence is normal (a scanner). */
  gint64 idle_timeout_us;
  const char *idle_message;
  /* What the udev rule's comment says of the devices in @ids. */
  const char *udev_comment;
} PsDriver;

/* Every driver built, ended by %NULL (generated: ps-drivers.c). */
extern const PsDriver *const ps_drivers[];

/* What drivers report; delivered to the main context by the manager. */
void ps_driver_emit_weight (PsDriverDevice *device, int status, gint64 milligrams);
void ps_driver_emit_scan (PsDriverDevice *device, const char *text, const char *symbology);
/* Reported once until ps_driver_clear_error(): a stream of garbage is one message. */
void ps_driver_emit_error (PsDriverDevice *device, const char *message);
void ps_driver_clear_error (PsDriverDevice *device);
/* Sends a HID output report with SET_REPORT on the device's interface. */
gboolean ps_driver_set_output_report (PsDriverDevice *device, guint8 report_id, const guint8 *data,
                                      gsize len, GError **error);

/* Scans longer than this are refused. */
#define PS_SCAN_MAX_BYTES 2048

G_END_DECLS
