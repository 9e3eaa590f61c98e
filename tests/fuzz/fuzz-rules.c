/* fuzz-rules.c — the risk rules data file, then an evaluation with it. */
#include "fuzz.h"
#include "parcelscreen/parcelscreen.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PsRules) rules = ps_rules_parse ((const char *) data, size, "fuzz.txt", &error);

  g_assert_true ((rules == NULL) != (error == NULL));
  if (rules == NULL)
    return 0;

  const char *history[] = { "a|1", "b|2", NULL };
  PsRiskInput input = {
    .declaration = "Trà khô, bột, thuốc bắc",
    .has_declaration = TRUE,
    .category = PS_CATEGORY_DOCUMENTS,
    .has_weight = TRUE,
    .weight_mg = 2500000,
    .weight_manual = TRUE,
    .sender_id = "001090012345",
    .recipient_name = "C",
    .recipient_phone = "0900000003",
    .consent = PS_ANSWER_NO,
    .history_recipients = history,
  };
  g_autoptr (GPtrArray) hits = ps_rules_evaluate (rules, NULL, &input);
  g_assert_cmpuint (hits->len, <=, ps_rules_get_n (rules));
  return 0;
}
