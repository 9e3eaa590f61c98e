/* test-udev-rules.c — the udev rule the build generates from the drivers'
 * ID tables: well formed for udev, one line for every device the drivers
 * know, the devices the documentation names, and never a keyboard or mouse
 * maker's devices. */
#include "ps-driver.h"

#include <string.h>

static char *
read_rules (void)
{
  const char *path = g_getenv ("PS_UDEV_RULES");
  g_autofree char *rules = NULL;
  g_assert_nonnull (path);
  g_assert_true (g_file_get_contents (path, &rules, NULL, NULL));
  return g_steal_pointer (&rules);
}

static void
test_well_formed (void)
{
  g_autofree char *rules = read_rules ();
  g_auto (GStrv) lines = g_strsplit (rules, "\n", -1);
  g_autoptr (GRegex) rule =
      g_regex_new ("^ATTR\\{idVendor\\}==\"[0-9a-f]{4}\"(, ATTR\\{idProduct\\}==\"[0-9a-f]{4}\")?, "
                   "TAG\\+=\"uaccess\"$",
                   0, 0, NULL);
  const char *guards[] = { "ACTION==\"remove\", GOTO=\"parcelscreen_end\"",
                           "SUBSYSTEM!=\"usb\", GOTO=\"parcelscreen_end\"",
                           "ENV{DEVTYPE}!=\"usb_device\", GOTO=\"parcelscreen_end\"",
                           "LABEL=\"parcelscreen_end\"" };
  guint n_guards = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      if (*line == '\0' || *line == '#')
        continue;
      gboolean guard = FALSE;
      for (guint g = 0; g < G_N_ELEMENTS (guards); g++)
        guard |= strcmp (line, guards[g]) == 0;
      n_guards += guard ? 1 : 0;
      if (!guard && !g_regex_match (rule, line, 0, NULL))
        g_test_fail_printf ("line %u is not a rule udev takes: %s", i + 1, line);
    }
  g_assert_cmpuint (n_guards, ==, G_N_ELEMENTS (guards));
  /* The end label comes last, after every rule. */
  g_assert_true (g_str_has_suffix (rules, "LABEL=\"parcelscreen_end\"\n"));
}

static void
test_every_id_listed (void)
{
  g_autofree char *rules = read_rules ();
  guint n_ids = 0;

  g_assert_nonnull (ps_drivers[0]);
  for (const PsDriver *const *driver = ps_drivers; *driver != NULL; driver++)
    for (const PsUsbId *id = (*driver)->ids; id->vendor != 0; id++, n_ids++)
      {
        g_autofree char *line =
            id->product != 0
                ? g_strdup_printf ("ATTR{idVendor}==\"%04x\", ATTR{idProduct}==\"%04x\", "
                                   "TAG+=\"uaccess\"\n",
                                   id->vendor, id->product)
                : g_strdup_printf ("ATTR{idVendor}==\"%04x\", TAG+=\"uaccess\"\n", id->vendor);
        if (strstr (rules, line) == NULL)
          g_test_fail_printf ("no line for %04x:%04x (%s)", id->vendor, id->product, id->name);
      }

  /* And only those: one uaccess line per id. */
  guint n_lines = 0;
  for (const char *p = strstr (rules, "TAG+=\"uaccess\""); p != NULL;
       p = strstr (p + 1, "TAG+=\"uaccess\""))
    n_lines++;
  g_assert_cmpuint (n_lines, ==, n_ids);
}

/* Written out here from the devices' documentation (the scales' IDs, the
 * scanner makers' vendor IDs), not read from the drivers' tables: a typo or
 * a lost line in a table fails this, where the test above would agree with
 * it. */
static void
test_known_devices (void)
{
  g_autofree char *rules = read_rules ();
  const char *const expected[] = {
    "ATTR{idVendor}==\"0922\", ATTR{idProduct}==\"8003\"", /* DYMO M10 */
    "ATTR{idVendor}==\"0922\", ATTR{idProduct}==\"8004\"", /* DYMO M25 */
    "ATTR{idVendor}==\"0eb8\", ATTR{idProduct}==\"f000\"", /* Mettler Toledo */
    "ATTR{idVendor}==\"1446\", ATTR{idProduct}==\"6a73\"", /* Stamps.com */
    "ATTR{idVendor}==\"0b67\", ATTR{idProduct}==\"555e\"", /* Fairbanks */
    "ATTR{idVendor}==\"0d8f\", ATTR{idProduct}==\"0200\"", /* Pitney Bowes */
    "ATTR{idVendor}==\"0c2e\", TAG",                       /* Honeywell */
    "ATTR{idVendor}==\"05e0\", TAG",                       /* Zebra */
    "ATTR{idVendor}==\"05f9\", TAG",                       /* Datalogic */
    "ATTR{idVendor}==\"080c\", TAG",                       /* Datalogic */
    "ATTR{idVendor}==\"1eab\", TAG",                       /* Newland */
  };
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (strstr (rules, expected[i]) == NULL)
      g_test_fail_printf ("the rule has no line with %s", expected[i]);
}

/* Write access to a keyboard would let a program detach it from the
 * kernel: no maker of keyboards or mice is given a vendor-wide rule. */
static void
test_no_keyboard_maker (void)
{
  g_autofree char *rules = read_rules ();
  const char *makers[] = { "046d" /* Logitech */, "045e" /* Microsoft */, "413c" /* Dell */,
                           "17ef" /* Lenovo */,   "05ac" /* Apple */,     "04f2" /* Chicony */ };
  for (guint i = 0; i < G_N_ELEMENTS (makers); i++)
    {
      g_autofree char *vendor = g_strdup_printf ("ATTR{idVendor}==\"%s\"", makers[i]);
      g_assert_null (strstr (rules, vendor));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/udev-rules/well-formed", test_well_formed);
  g_test_add_func ("/udev-rules/every-id-listed", test_every_id_listed);
  g_test_add_func ("/udev-rules/known-devices", test_known_devices);
  g_test_add_func ("/udev-rules/no-keyboard-maker", test_no_keyboard_maker);
  return g_test_run ();
}
