/* test-udev-rules.c — the udev rule gives access to every device the drivers
 * know, and to nothing else by accident. */
#include "ps-driver.h"

#include <string.h>

static void
test_every_id_listed (void)
{
  g_autofree char *path =
      g_build_filename (g_getenv ("PARCELSCREEN_DATADIR"), "70-parcelscreen.rules", NULL);
  g_autofree char *rules = NULL;
  g_assert_true (g_file_get_contents (path, &rules, NULL, NULL));

  const PsDriver *drivers[] = { &ps_driver_scale_hid_pos, &ps_driver_scanner_hid_pos,
                                &ps_driver_scanner_hid_keyboard };
  guint n_ids = 0;
  for (guint d = 0; d < G_N_ELEMENTS (drivers); d++)
    for (const PsUsbId *id = drivers[d]->ids; id->vendor != 0; id++, n_ids++)
      {
        g_autofree char *line =
            id->product != 0
                ? g_strdup_printf ("ATTR{idVendor}==\"%04x\", ATTR{idProduct}==\"%04x\", "
                                   "TAG+=\"uaccess\"\n",
                                   id->vendor, id->product)
                : g_strdup_printf ("ATTR{idVendor}==\"%04x\", TAG+=\"uaccess\"\n", id->vendor);
        if (strstr (rules, line) == NULL)
          g_error ("%s has no line for %04x:%04x (%s)", path, id->vendor, id->product, id->name);
      }

  /* And only those: one uaccess line per id. */
  guint n_lines = 0;
  for (const char *p = strstr (rules, "TAG+=\"uaccess\""); p != NULL;
       p = strstr (p + 1, "TAG+=\"uaccess\""))
    n_lines++;
  g_assert_cmpuint (n_lines, ==, n_ids);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/udev-rules/every-id-listed", test_every_id_listed);
  return g_test_run ();
}
