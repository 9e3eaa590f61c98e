/* ps-list-udev-rules.c — prints 70-parcelscreen.rules from the ID tables of
 * the drivers built (run by the build; see drivers/meson.build). */
#include "config.h"

#include <stdio.h>

#include "ps-driver.h"

int
main (void)
{
  printf ("# %s — generated from ParcelScreen's driver tables; do not edit.\n"
          "#\n"
          "# Access for the logged-in user (uaccess) to the postal scales and barcode\n"
          "# scanners ParcelScreen drives over libusb; unplug and plug in after\n"
          "# installing. Only these devices: write access to a USB device node allows\n"
          "# detaching its kernel driver, so a keyboard or mouse must never be listed.\n"
          "# A scale or scanner of another model: add a rule of your own with its vendor\n"
          "# and product (see `parcelscreenctl devices list` run as root).\n\n"
          "ACTION==\"remove\", GOTO=\"parcelscreen_end\"\n"
          "SUBSYSTEM!=\"usb\", GOTO=\"parcelscreen_end\"\n"
          "ENV{DEVTYPE}!=\"usb_device\", GOTO=\"parcelscreen_end\"\n",
          PS_UDEV_RULE_NAME);
  for (const PsDriver *const *driver = ps_drivers; *driver != NULL; driver++)
    {
      printf ("\n# %s (%s)\n", (*driver)->udev_comment, (*driver)->id);
      for (const PsUsbId *id = (*driver)->ids; id->vendor != 0; id++)
        if (id->product != 0)
          printf ("# %s\nATTR{idVendor}==\"%04x\", ATTR{idProduct}==\"%04x\", TAG+=\"uaccess\"\n",
                  id->name, id->vendor, id->product);
        else
          printf ("# %s\nATTR{idVendor}==\"%04x\", TAG+=\"uaccess\"\n", id->name, id->vendor);
    }
  printf ("\nLABEL=\"parcelscreen_end\"\n");
  return 0;
}
