/* test-devices.c — the device manager against emulated devices, for what an
 * ioctl script cannot express: models recognised by their report descriptor,
 * unplug and replug at a chosen moment, stalls, a silent scale, zeroing,
 * garbage reported once. Runs under umockdev-wrapper; skipped without it. */
#include "parcelscreen/parcelscreen.h"
#include "ps-devices.h"
#include "ps-usb-emulator.h"

#include <string.h>

/* A scale's report descriptor, enough to be recognised: Usage Page (Scales). */
static const guint8 scale_descriptor[] = { 0x05, 0x8D, 0x09, 0x20, 0xA1, 0x01, 0x85, 0x03,
                                           0x09, 0x32, 0x15, 0x00, 0x26, 0xFF, 0x00, 0x75,
                                           0x08, 0x95, 0x05, 0x81, 0x02, 0xC0 };
/* A mouse's: Generic Desktop. */
static const guint8 mouse_descriptor[] = { 0x05, 0x01, 0x09, 0x02, 0xA1, 0x01, 0xC0 };

typedef struct
{
  PsUsbEmulator *emulator;
  PsDeviceManager *manager;
  GPtrArray *events; /* char *: "added 1234:0001", "weight stable 1000000", … */
} Fixture;

static void
record (Fixture *fixture, char *event)
{
  g_ptr_array_add (fixture->events, event);
}

static void
added_cb (PsDeviceManager *manager, PsDeviceInfo *info, Fixture *fixture)
{
  (void) manager;
  record (fixture, g_strdup_printf ("added %s %s %s", info->id, info->driver, info->name));
}

static void
removed_cb (PsDeviceManager *manager, PsDeviceInfo *info, Fixture *fixture)
{
  (void) manager;
  record (fixture, g_strdup_printf ("removed %s", info->id));
}

static void
weight_cb (PsDeviceManager *manager, PsDeviceInfo *info, int status, gint64 mg, Fixture *fixture)
{
  (void) manager;
  (void) info;
  record (fixture,
          g_strdup_printf ("weight %s %" G_GINT64_FORMAT, ps_scale_status_to_id (status), mg));
}

static void
error_cb (PsDeviceManager *manager, PsDeviceInfo *info, const char *message, Fixture *fixture)
{
  (void) manager;
  (void) info;
  record (fixture, g_strdup_printf ("error %s", message));
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  (void) data;
  fixture->emulator = ps_usb_emulator_new ();
  fixture->events = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  (void) data;
  if (fixture->manager != NULL)
    {
      ps_device_manager_stop (fixture->manager);
      g_signal_handlers_disconnect_by_data (fixture->manager, fixture);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_object_unref (fixture->manager);
    }
  ps_usb_emulator_free (fixture->emulator);
  g_ptr_array_unref (fixture->events);
}

static gboolean
skip_without_umockdev (Fixture *fixture)
{
  if (fixture->emulator != NULL)
    return FALSE;
  g_test_skip ("needs umockdev-wrapper");
  return TRUE;
}

static void
start_manager (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  fixture->manager = ps_device_manager_new (NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->manager, "device-added", G_CALLBACK (added_cb), fixture);
  g_signal_connect (fixture->manager, "device-removed", G_CALLBACK (removed_cb), fixture);
  g_signal_connect (fixture->manager, "weight", G_CALLBACK (weight_cb), fixture);
  g_signal_connect (fixture->manager, "device-error", G_CALLBACK (error_cb), fixture);
  g_assert_true (ps_device_manager_start (fixture->manager, &error));
}

static gboolean
has_event (Fixture *fixture, const char *prefix)
{
  for (guint i = 0; i < fixture->events->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (fixture->events, i), prefix))
      return TRUE;
  return FALSE;
}

static guint
count_events (Fixture *fixture, const char *prefix)
{
  guint n = 0;
  for (guint i = 0; i < fixture->events->len; i++)
    n += g_str_has_prefix (g_ptr_array_index (fixture->events, i), prefix);
  return n;
}

/* Runs the main loop until @count events starting with @prefix arrived.
 * Returns: %FALSE, with the test case marked failed (not the whole binary
 * aborted), if they did not within @seconds. */
static gboolean
wait_for_count (Fixture *fixture, const char *prefix, guint count, guint seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  while (count_events (fixture, prefix) < count)
    {
      if (g_get_monotonic_time () > deadline)
        {
          for (guint i = 0; i < fixture->events->len; i++)
            g_printerr ("  seen: %s\n", (char *) g_ptr_array_index (fixture->events, i));
          g_test_fail_printf ("no event ‘%s’ (%u) within %u s", prefix, count, seconds);
          return FALSE;
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  return TRUE;
}

/* Waits for one event starting with @prefix; leaves the test case if none came. */
#define wait_for(fixture, prefix, seconds)                                                         \
  G_STMT_START                                                                                     \
  {                                                                                                \
    if (!wait_for_count (fixture, prefix, 1, seconds))                                             \
      return;                                                                                      \
  }                                                                                                \
  G_STMT_END

/* Lets @ms milliseconds of events arrive. */
static void
run_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;
  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static void
queue_weight (Fixture *fixture, guint8 status, guint16 grams)
{
  const guint8 report[] = { 3, status, 2, 0, grams & 0xFF, grams >> 8 };
  ps_usb_emulator_queue_report (fixture->emulator, report, sizeof report);
}

static const PsUsbEmulatorDevice unknown_scale = {
  .vendor = 0x1234,
  .product = 0x0001,
  .interface_class = 3,
  .endpoint = 0x81,
  .packet_size = 6,
  .report_descriptor = scale_descriptor,
  .report_descriptor_len = sizeof scale_descriptor,
  .accept_set_report = TRUE,
};

static void
test_recognised_by_descriptor (Fixture *fixture, gconstpointer data)
{
  (void) data;
  if (skip_without_umockdev (fixture))
    return;

  /* A model no table lists: its report descriptor says it is a scale. */
  ps_usb_emulator_plug (fixture->emulator, &unknown_scale, 2);
  queue_weight (fixture, 2, 0); /* stale: dropped */
  queue_weight (fixture, 4, 1000);
  start_manager (fixture);
  wait_for (fixture, "weight stable 1000000", 10);
  g_assert_true (has_event (fixture, "added 1234:0001 scale-hid-pos USB scale 1234:0001"));
  g_assert_false (has_event (fixture, "weight zero"));
  g_assert_cmpuint (ps_usb_emulator_count (fixture->emulator, "get-report-descriptor"), ==, 1);
  g_assert_cmpuint (ps_usb_emulator_count (fixture->emulator, "claim"), ==, 1);
}

static void
test_mouse_not_claimed (Fixture *fixture, gconstpointer data)
{
  (void) data;
  if (skip_without_umockdev (fixture))
    return;

  PsUsbEmulatorDevice mouse = unknown_scale;
  mouse.report_descriptor = mouse_descriptor;
  mouse.report_descriptor_len = sizeof mouse_descriptor;
  ps_usb_emulator_plug (fixture->emulator, &mouse, 3);
  start_manager (fixture);

  while (!ps_device_manager_is_enumerated (fixture->manager))
    g_main_context_iteration (NULL, TRUE);
  run_for (200);
  g_assert_cmpuint (fixture->events->len, ==, 0);
  g_assert_cmpuint (ps_usb_emulator_count (fixture->emulator, "get-report-descriptor"), ==, 1);
  g_assert_cmpuint (ps_usb_emulator_count (fixture->emulator, "claim"), ==, 0);
  g_autoptr (GPtrArray) devices = ps_device_manager_get_devices (fixture->manager);
  g_assert_cmpuint (devices->len, ==, 0);
}

static void
test_unplug_and_replug (Fixture *fixture, gconstpointer data)
{
  (void) data;
  if (skip_without_umockdev (fixture))
    return;

  ps_usb_emulator_plug (fixture->emulator, &unknown_scale, 2);
  queue_weight (fixture, 2, 0);
  queue_weight (fixture, 3, 480);
  start_manager (fixture);
  wait_for (fixture, "weight motion 480000", 10);

  /* Unplugged in the middle of a transfer: removed once, no crash. */
  ps_usb_emulator_unplug (fixture->emulator);
  wait_for (fixture, "removed 1234:0001", 10);
  run_for (300);
  g_assert_cmpuint (count_events (fixture, "removed"), ==, 1);
  g_autoptr (GPtrArray) none = ps_device_manager_get_devices (fixture->manager);
  g_assert_cmpuint (none->len, ==, 0);

  /* Plugged back: found again, and the weights come again. */
  g_ptr_array_set_size (fixture->events, 0);
  ps_usb_emulator_plug (fixture->emulator, &unknown_scale, 4);
  queue_weight (fixture, 2, 0);
  queue_weight (fixture, 4, 1200);
  wait_for (fixture, "weight stable 1200000", 10);
  g_assert_true (has_event (fixture, "added 1234:0001"));
  g_autoptr (GPtrArray) devices = ps_device_manager_get_devices (fixture->manager);
  g_assert_cmpuint (devices->len, ==, 1);
}

static void
test_stall (Fixture *fixture, gconstpointer data)
{
  (void) data;
  if (skip_without_umockdev (fixture))
    return;

  ps_usb_emulator_plug (fixture->emulator, &unknown_scale, 2);
  queue_weight (fixture, 2, 0);
  queue_weight (fixture, 4, 700);
  start_manager (fixture);
  wait_for (fixture, "weight stable 700000", 10);

  /* A stall: cleared, reported once, and the scale goes on. */
  ps_usb_emulator_queue_stall (fixture->emulator);
  queue_weight (fixture, 4, 750);
  wait_for (fixture, "weight stable 750000", 10);
  g_assert_cmpuint (ps_usb_emulator_count (fixture->emulator, "clear-halt"), ==, 1);
  g_assert_cmpuint (count_events (fixture, "error The device stalled; it was reset"), ==, 1);
}

static void
test_garbage_reported_once (Fixture *fixture, gconstpointer data)
{
  (void) data;
  if (skip_without_umockdev (fixture))
    return;

  ps_usb_emulator_plug (fixture->emulator, &unknown_scale, 2);
  queue_weight (fixture, 2, 0);
  const guint8 garbage[] = { 7, 7, 7, 7, 7, 7 };
  const guint8 too_long[] = { 3, 4, 2, 0, 1, 0, 9 };
  for (int i = 0; i < 20; i++)
    ps_usb_emulator_queue_report (fixture->emulator, garbage, sizeof garbage);
  ps_usb_emulator_queue_report (fixture->emulator, too_long, sizeof too_long);
  queue_weight (fixture, 4, 900);
  start_manager (fixture);
  wait_for (fixture, "weight stable 900000", 10);
  /* Twenty identical bad reports are one message. */
  g_assert_cmpuint (count_events (fixture, "error The scale sent an unknown report (id 7)"), ==, 1);
}

static void
test_silent_scale (Fixture *fixture, gconstpointer data)
{
  (void) data;
  if (skip_without_umockdev (fixture))
    return;

  ps_usb_emulator_plug (fixture->emulator, &unknown_scale, 2);
  start_manager (fixture);
  wait_for (fixture, "added 1234:0001", 10);
  wait_for (fixture, "error The scale sends no readings", 10);
  g_assert_cmpuint (count_events (fixture, "error"), ==, 1);

  /* Readings again: it works, and later silence is reported anew. */
  queue_weight (fixture, 2, 0);
  queue_weight (fixture, 4, 300);
  wait_for (fixture, "weight stable 300000", 10);
  g_assert_true (wait_for_count (fixture, "error The scale sends no readings", 2, 10));
  g_assert_cmpuint (count_events (fixture, "error"), ==, 2);
}

static void
test_zeroing (Fixture *fixture, gconstpointer data)
{
  (void) data;
  if (skip_without_umockdev (fixture))
    return;

  ps_usb_emulator_plug (fixture->emulator, &unknown_scale, 2);
  queue_weight (fixture, 2, 0);
  queue_weight (fixture, 4, 20);
  start_manager (fixture);
  wait_for (fixture, "weight stable 20000", 10);

  ps_device_manager_zero_scale (fixture->manager, "1234:0001");
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (ps_usb_emulator_count (fixture->emulator, "set-report") == 0 &&
         g_get_monotonic_time () < deadline)
    run_for (10);
  g_autoptr (GBytes) report = ps_usb_emulator_last_set_report (fixture->emulator);
  g_assert_nonnull (report);
  const guint8 expected[] = { 0x02, 0x02 };
  g_assert_cmpmem (g_bytes_get_data (report, NULL), g_bytes_get_size (report), expected, 2);
  run_for (100);
  g_assert_false (has_event (fixture, "error"));
}

static void
test_zeroing_unsupported (Fixture *fixture, gconstpointer data)
{
  (void) data;
  if (skip_without_umockdev (fixture))
    return;

  PsUsbEmulatorDevice refusing = unknown_scale;
  refusing.accept_set_report = FALSE;
  ps_usb_emulator_plug (fixture->emulator, &refusing, 2);
  queue_weight (fixture, 2, 0);
  queue_weight (fixture, 4, 20);
  start_manager (fixture);
  wait_for (fixture, "weight stable 20000", 10);
  ps_device_manager_zero_scale (fixture->manager, "1234:0001");
  wait_for (fixture, "error This scale cannot be zeroed", 10);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/devices/recognised-by-descriptor", test_recognised_by_descriptor);
  ADD ("/devices/mouse-not-claimed", test_mouse_not_claimed);
  ADD ("/devices/unplug-and-replug", test_unplug_and_replug);
  ADD ("/devices/stall", test_stall);
  ADD ("/devices/garbage-reported-once", test_garbage_reported_once);
  ADD ("/devices/silent-scale", test_silent_scale);
  ADD ("/devices/zeroing", test_zeroing);
  ADD ("/devices/zeroing-unsupported", test_zeroing_unsupported);
#undef ADD
  return g_test_run ();
}
