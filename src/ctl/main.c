/* main.c — parcelscreenctl, the command-line tool of ParcelScreen. */
#include "ps-ctl.h"

int
main (int argc, char **argv)
{
  return ps_ctl_main (argc, argv);
}
