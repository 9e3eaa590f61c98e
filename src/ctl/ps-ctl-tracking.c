/* ps-ctl-tracking.c — `parcelscreenctl tracking check CODE…`. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "parcelscreen/parcelscreen.h"
#include "ps-config.h"
#include "ps-ctl.h"

static void
print_tracking (const PsTracking *tracking)
{
  if (tracking->kind == PS_TRACKING_KIND_OPERATOR)
    {
      printf (_ ("%s: valid, operator format ‘%s’\n"), tracking->code, tracking->format_name);
      return;
    }

  printf (_ ("%s: valid UPU S10 number\n"), tracking->code);
  printf ("  %-20s %s — %s\n", _ ("service indicator"), tracking->service,
          ps_s10_service_describe (tracking->service));
  printf ("  %-20s %s\n", _ ("serial number"), tracking->serial);
  printf ("  %-20s %u\n", _ ("check digit"), tracking->check_digit);
  printf ("  %-20s %s — %s\n", _ ("country"), tracking->country,
          ps_country_display_name (tracking->country));
  if (tracking->symbology != NULL)
    printf ("  %-20s %s\n", _ ("symbology"), tracking->symbology);
}

int
ps_ctl_tracking_check (const PsCtlCommand *command, int argc, char **argv)
{
  g_autofree char *config_path = NULL;
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      N_ ("Read this configuration file too (for operator formats)"), N_ ("FILE") },
    G_OPTION_ENTRY_NULL,
  };

  if (!ps_ctl_parse_options (command, entries, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  if (argc < 2)
    {
      fprintf (stderr, "%s\n",
               _ ("parcelscreenctl tracking check: give at least one tracking "
                  "number."));
      return PS_CTL_EXIT_USAGE;
    }

  g_autoptr (GError) error = NULL;
  g_autoptr (PsConfig) config = ps_config_load (config_path, &error);
  if (config == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return PS_CTL_EXIT_FAILURE;
    }

  int status = PS_CTL_EXIT_OK;
  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GError) parse_error = NULL;
      g_autoptr (PsTracking) tracking =
          ps_tracking_parse (argv[i], -1, ps_config_get_tracking_formats (config), &parse_error);
      if (tracking == NULL)
        {
          printf ("%s\n", parse_error->message);
          status = PS_CTL_EXIT_FAILURE;
          continue;
        }
      print_tracking (tracking);
    }
  return status;
}
