/* ps-language.c — which of the two languages (Vietnamese, English) the
 * program speaks, and picking a data file's text in it. */
#include "ps-core-private.h"

const char *
ps_pick_language (const char *language, const char *text_vi, const char *text_en)
{
  return language != NULL && g_str_has_prefix (language, "vi") ? text_vi : text_en;
}

const char *
ps_current_language (void)
{
  /* The catalogue itself says which language it is: its translation of this
   * marker is "vi" in po/vi.po. */
  const char *marker = C_ ("language code of this translation", "en");
  return g_str_has_prefix (marker, "vi") ? "vi" : "en";
}
