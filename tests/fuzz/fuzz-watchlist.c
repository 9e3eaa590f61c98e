/* fuzz-watchlist.c — watch lists as the police could send them. */
#include "fuzz.h"
#include "parcelscreen/parcelscreen.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PsWatchlist) watchlist =
      ps_watchlist_parse ((const char *) data, size, "fuzz.txt", &error);
  g_assert_true ((watchlist == NULL) != (error == NULL));
  return 0;
}
