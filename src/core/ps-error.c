/* ps-error.c — the project's error domain. */
#include "ps-core-private.h"

GQuark
ps_error_quark (void)
{
  return g_quark_from_static_string ("parcelscreen-error-quark");
}
