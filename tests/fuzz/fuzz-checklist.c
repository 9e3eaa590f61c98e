/* fuzz-checklist.c — the checklist and reasons data files (same stanza format). */
#include "fuzz.h"
#include "parcelscreen/parcelscreen.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PsChecklist) checklist =
      ps_checklist_parse ((const char *) data, size, "fuzz.txt", &error);
  g_assert_true ((checklist == NULL) != (error == NULL));
  if (checklist != NULL)
    for (guint i = 0; i < ps_checklist_get_n_items (checklist); i++)
      g_assert_nonnull (
          ps_checklist_find (checklist, ps_checklist_get_item (checklist, i)->id, NULL));

  g_autoptr (GError) reasons_error = NULL;
  g_autoptr (PsReasons) reasons =
      ps_reasons_parse ((const char *) data, size, "fuzz.txt", &reasons_error);
  g_assert_true ((reasons == NULL) != (reasons_error == NULL));
  return 0;
}
