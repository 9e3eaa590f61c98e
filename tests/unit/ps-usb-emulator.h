/* ps-usb-emulator.h — an emulated USB HID device for the in-process device
 * tests and the device benchmark, on umockdev's ioctl handler: the real
 * libusb talks to it as to a kernel. Needs umockdev-wrapper (the preload). */
#pragma once

#include <glib.h>
#include <umockdev.h>

G_BEGIN_DECLS

typedef struct _PsUsbEmulator PsUsbEmulator;

typedef struct
{
  guint16 vendor;
  guint16 product;
  guint8 interface_class;    /* 3: HID */
  guint8 interface_subclass; /* 1: boot */
  guint8 interface_protocol; /* 1: keyboard */
  guint8 endpoint;           /* interrupt IN address, 0x81 */
  guint16 packet_size;
  const guint8 *report_descriptor; /* answered to GET_DESCRIPTOR 0x22; NULL: stall */
  gsize report_descriptor_len;
  gboolean accept_set_report; /* answer SET_REPORT (zeroing), else stall */
} PsUsbEmulatorDevice;

/* Returns: %NULL (and the test should be skipped) outside umockdev-wrapper. */
PsUsbEmulator *ps_usb_emulator_new (void);
/* A second device in the same testbed (and so the same UMOCKDEV_DIR). */
PsUsbEmulator *ps_usb_emulator_new_sharing (PsUsbEmulator *first);
void ps_usb_emulator_free (PsUsbEmulator *emulator);

/* Plugs the device in at /dev/bus/usb/001/NNN. */
void ps_usb_emulator_plug (PsUsbEmulator *emulator, const PsUsbEmulatorDevice *device,
                           guint devnum);
/* Unplugs it: transfers in flight end with ENODEV, then the uevent. */
void ps_usb_emulator_unplug (PsUsbEmulator *emulator);

/* Queues an interrupt-IN report; returns at once. */
void ps_usb_emulator_queue_report (PsUsbEmulator *emulator, const guint8 *data, gsize len);
/* Makes the next interrupt-IN transfer end in a stall (EPIPE). */
void ps_usb_emulator_queue_stall (PsUsbEmulator *emulator);

guint ps_usb_emulator_count (PsUsbEmulator *emulator, const char *what);
/* The data of the last SET_REPORT request, or NULL. */
GBytes *ps_usb_emulator_last_set_report (PsUsbEmulator *emulator);
/* The monotonic time at which the last queued report left the device. */
gint64 ps_usb_emulator_last_delivery_us (PsUsbEmulator *emulator);
/* Blocks until every queued report has been reaped. */
void ps_usb_emulator_wait_drained (PsUsbEmulator *emulator);

G_END_DECLS
