/* bench-devices.c — delivery overhead of the device manager.
 *
 * The time from a report leaving the emulated device (the moment the
 * emulator hands it to a reap) to its "weight" signal in the main loop,
 * against a bare synchronous libusb read loop (libusb_interrupt_transfer)
 * on the same emulated device in the same run; p50 and p99 over N reports
 * each. Runs under umockdev-wrapper.
 */
#include "parcelscreen/parcelscreen.h"
#include "ps-devices.h"
#include "ps-usb-emulator.h"

#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench-util.h"

static const guint8 scale_descriptor[] = { 0x05, 0x8D, 0x09, 0x20, 0xA1, 0x01, 0xC0 };

static const PsUsbEmulatorDevice scale = {
  .vendor = 0x1234,
  .product = 0x0001,
  .interface_class = 3,
  .endpoint = 0x81,
  .packet_size = 6,
  .report_descriptor = scale_descriptor,
  .report_descriptor_len = sizeof scale_descriptor,
};

typedef struct
{
  gint64 received_us;
  gboolean got;
} Waiter;

static void
weight_cb (PsDeviceManager *manager, PsDeviceInfo *info, int status, gint64 mg, Waiter *waiter)
{
  (void) manager;
  (void) info;
  (void) status;
  (void) mg;
  waiter->received_us = g_get_monotonic_time ();
  waiter->got = TRUE;
}

static void
report_for (guint i, guint8 report[6])
{
  /* Values alternate, so that each report is a change and gives an event. */
  guint16 grams = (guint16) (1000 + i % 2);
  report[0] = 3;
  report[1] = 4;
  report[2] = 2;
  report[3] = 0;
  report[4] = grams & 0xFF;
  report[5] = grams >> 8;
}

static GArray *
measure_manager (PsUsbEmulator *emulator, guint n)
{
  g_autoptr (GError) error = NULL;
  Waiter waiter = { 0 };
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (PsDeviceManager) manager = ps_device_manager_new (NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (manager, "weight", G_CALLBACK (weight_cb), &waiter);
  g_assert_true (ps_device_manager_start (manager, &error));

  guint8 report[6];
  report_for (1, report);
  ps_usb_emulator_queue_report (emulator, report, 6); /* the stale first one */
  for (guint i = 0; i < n + 100; i++)
    {
      report_for (i, report);
      waiter.got = FALSE;
      ps_usb_emulator_queue_report (emulator, report, 6);
      while (!waiter.got)
        g_main_context_iteration (NULL, TRUE);
      double us = (double) (waiter.received_us - ps_usb_emulator_last_delivery_us (emulator));
      if (i >= 100) /* warm-up, and the device being found */
        g_array_append_val (samples, us);
    }
  ps_device_manager_stop (manager);
  g_signal_handlers_disconnect_by_data (manager, &waiter);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return samples;
}

static GArray *
measure_bare (PsUsbEmulator *emulator, guint n)
{
  libusb_context *usb = NULL;
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_assert_cmpint (libusb_init (&usb), ==, 0);
  libusb_device_handle *handle = libusb_open_device_with_vid_pid (usb, 0x1234, 0x0001);
  g_assert_nonnull (handle);
  g_assert_cmpint (libusb_claim_interface (handle, 0), ==, 0);

  guint8 report[6], buffer[6];
  for (guint i = 0; i < n + 100; i++)
    {
      int transferred = 0;
      report_for (i, report);
      ps_usb_emulator_queue_report (emulator, report, 6);
      g_assert_cmpint (libusb_interrupt_transfer (handle, 0x81, buffer, 6, &transferred, 5000), ==,
                       0);
      double us = (double) (g_get_monotonic_time () - ps_usb_emulator_last_delivery_us (emulator));
      if (i >= 100)
        g_array_append_val (samples, us);
    }
  libusb_release_interface (handle, 0);
  libusb_close (handle);
  libusb_exit (usb);
  return samples;
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 10000;
  PsUsbEmulator *emulator = ps_usb_emulator_new ();
  if (emulator == NULL)
    {
      fprintf (stderr, "bench-devices: run under umockdev-wrapper\n");
      return 77;
    }
  ps_usb_emulator_plug (emulator, &scale, 2);

  GArray *bare = measure_bare (emulator, n);
  GArray *manager = measure_manager (emulator, n);

  double bare_p50 = bench_percentile (bare, 0.5), bare_p99 = bench_percentile (bare, 0.99);
  double manager_p50 = bench_percentile (manager, 0.5),
         manager_p99 = bench_percentile (manager, 0.99);
  printf ("device delivery: %u reports each, from leaving the emulated device\n", n);
  printf ("  manager → main loop   p50 %8.1f µs   p99 %8.1f µs\n", manager_p50, manager_p99);
  printf ("  bare sync libusb read p50 %8.1f µs   p99 %8.1f µs\n", bare_p50, bare_p99);
  printf ("  overhead              p50 %+8.1f µs   p99 %+8.1f µs   (ratio p50 %.2f×)\n",
          manager_p50 - bare_p50, manager_p99 - bare_p99, manager_p50 / bare_p50);

  g_array_unref (bare);
  g_array_unref (manager);
  ps_usb_emulator_free (emulator);
  return 0;
}
