/* main.c — parcelscreen, the post office acceptance counter. */
#include "config.h"

#include "parcelscreen/ps-config.h"
#include "ps-application.h"

int
main (int argc, char **argv)
{
  ps_i18n_init (NULL);

  g_autoptr (PsApplication) application = ps_application_new ();
  int status = g_application_run (G_APPLICATION (application), argc, argv);
  if (status == 0 && ps_application_has_failed (application))
    status = 1;
  return status;
}
