/* usb-helper.c — the counter's USB scale and barcode scanner, emulated for
 * the end-to-end tests.
 *
 * Runs under umockdev-wrapper and keeps a umockdev testbed with two devices
 * on umockdev's ioctl handler: a DYMO M10 scale and a Honeywell scanner in
 * HID POS mode. The parcelscreen binary under test is started with the
 * umockdev preload library and this testbed's UMOCKDEV_DIR, so that its real
 * libusb code talks to these devices. Commands, one a line on standard input,
 * each answered "ok" (or "error ...") on standard output:
 *
 *   plug scale|scanner       unplug scale|scanner
 *   weigh STATUS GRAMS       (HID POS scale status: 2 zero, 3 motion, 4 stable)
 *   scan SYMBOLOGY TEXT      (TEXT to the end of the line; "]C0", "]Q1")
 *   quit
 *
 * The first line written is "UMOCKDEV_DIR=..." once the testbed is ready.
 */
#include <stdio.h>
#include <string.h>

#include "ps-usb-emulator.h"

#define SCALE_DEVNUM   5
#define SCANNER_DEVNUM 6
#define HIDPOS_REPORT  64

/* Usage Page (Scales), an input report 3. */
static const guint8 scale_descriptor[] = { 0x05, 0x8D, 0x09, 0x20, 0xA1, 0x01, 0x85, 0x03,
                                           0x09, 0x32, 0x15, 0x00, 0x26, 0xFF, 0x00, 0x75,
                                           0x08, 0x95, 0x05, 0x81, 0x02, 0xC0 };
/* Usage Page (Bar Code Scanner). */
static const guint8 scanner_descriptor[] = { 0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01, 0x85, 0x02,
                                             0x15, 0x00, 0x26, 0xFF, 0x00, 0x75, 0x08, 0x95,
                                             0x3F, 0x09, 0xFE, 0x81, 0x02, 0xC0 };

static const PsUsbEmulatorDevice scale = {
  .vendor = 0x0922,
  .product = 0x8003,
  .interface_class = 3,
  .endpoint = 0x82,
  .packet_size = 8,
  .report_descriptor = scale_descriptor,
  .report_descriptor_len = sizeof scale_descriptor,
  .accept_set_report = TRUE,
};

static const PsUsbEmulatorDevice scanner = {
  .vendor = 0x0c2e,
  .product = 0x0b87,
  .interface_class = 3,
  .endpoint = 0x81,
  .packet_size = HIDPOS_REPORT,
  .report_descriptor = scanner_descriptor,
  .report_descriptor_len = sizeof scanner_descriptor,
};

typedef struct
{
  PsUsbEmulator *emulator;
  const PsUsbEmulatorDevice *device;
  guint devnum;
  gboolean plugged;
} Slot;

/* A real scale reports its reading several times a second, changed or not. */
static GMutex scale_lock;
static guint8 scale_report[6] = { 3, 2 /* zero */, 2 /* grams */, 0, 0, 0 };
static gboolean scale_plugged;

static gpointer
repeat_thread (gpointer data)
{
  PsUsbEmulator *emulator = data;
  for (;;)
    {
      g_usleep (200 * 1000);
      g_mutex_lock (&scale_lock);
      if (scale_plugged)
        ps_usb_emulator_queue_report (emulator, scale_report, sizeof scale_report);
      g_mutex_unlock (&scale_lock);
    }
  return NULL;
}

static Slot *
slot_named (Slot *slots, const char *name)
{
  if (g_strcmp0 (name, "scale") == 0)
    return &slots[0];
  if (g_strcmp0 (name, "scanner") == 0)
    return &slots[1];
  return NULL;
}

/* The Honeywell layout: id 2, length, symbology, data, and a "more follows" flag. */
static void
queue_scan (PsUsbEmulator *emulator, const char *symbology, const char *text)
{
  gsize chunk = HIDPOS_REPORT - 6;
  gsize length = strlen (text);
  gsize offset = 0;

  do
    {
      guint8 report[HIDPOS_REPORT] = { 0 };
      gsize part = MIN (chunk, length - offset);
      report[0] = 2;
      report[1] = (guint8) part;
      memcpy (report + 2, symbology, 3);
      memcpy (report + 5, text + offset, part);
      offset += part;
      report[HIDPOS_REPORT - 1] = offset < length ? 1 : 0;
      ps_usb_emulator_queue_report (emulator, report, sizeof report);
    }
  while (offset < length);
}

static const char *
run (Slot *slots, char *line)
{
  g_strchomp (line);
  g_auto (GStrv) words = g_strsplit (line, " ", 3);
  const char *command = words[0];
  Slot *slot = words[1] != NULL ? slot_named (slots, words[1]) : NULL;

  if (g_strcmp0 (command, "plug") == 0 && slot != NULL)
    {
      g_mutex_lock (&scale_lock);
      if (!slot->plugged)
        ps_usb_emulator_plug (slot->emulator, slot->device, slot->devnum);
      slot->plugged = TRUE;
      if (slot == &slots[0])
        scale_plugged = TRUE;
      g_mutex_unlock (&scale_lock);
      return "ok";
    }
  if (g_strcmp0 (command, "unplug") == 0 && slot != NULL)
    {
      g_mutex_lock (&scale_lock);
      if (slot->plugged)
        ps_usb_emulator_unplug (slot->emulator);
      slot->plugged = FALSE;
      if (slot == &slots[0])
        scale_plugged = FALSE;
      g_mutex_unlock (&scale_lock);
      return "ok";
    }
  if (g_strcmp0 (command, "weigh") == 0 && words[1] != NULL && words[2] != NULL)
    {
      guint status = (guint) g_ascii_strtoull (words[1], NULL, 10);
      guint grams = (guint) g_ascii_strtoull (words[2], NULL, 10);
      g_mutex_lock (&scale_lock);
      scale_report[1] = (guint8) status;
      scale_report[4] = grams & 0xFF;
      scale_report[5] = (grams >> 8) & 0xFF;
      ps_usb_emulator_queue_report (slots[0].emulator, scale_report, sizeof scale_report);
      g_mutex_unlock (&scale_lock);
      return "ok";
    }
  if (g_strcmp0 (command, "scan") == 0 && words[1] != NULL && words[2] != NULL &&
      strlen (words[1]) == 3)
    {
      queue_scan (slots[1].emulator, words[1], words[2]);
      return "ok";
    }
  if (g_strcmp0 (command, "quit") == 0)
    return NULL;
  return "error: unknown command";
}

int
main (void)
{
  PsUsbEmulator *first = ps_usb_emulator_new ();
  if (first == NULL)
    {
      fprintf (stderr, "usb-helper: run me under umockdev-wrapper\n");
      return 77;
    }
  Slot slots[2] = {
    { first, &scale, SCALE_DEVNUM, FALSE },
    { ps_usb_emulator_new_sharing (first), &scanner, SCANNER_DEVNUM, FALSE },
  };

  g_thread_unref (g_thread_new ("repeat", repeat_thread, first));
  printf ("UMOCKDEV_DIR=%s\n", g_getenv ("UMOCKDEV_DIR"));
  fflush (stdout);

  char line[4096];
  while (fgets (line, sizeof line, stdin) != NULL)
    {
      const char *answer = run (slots, line);
      if (answer == NULL)
        break;
      printf ("%s\n", answer);
      fflush (stdout);
    }
  ps_usb_emulator_free (slots[1].emulator);
  ps_usb_emulator_free (first);
  return 0;
}
