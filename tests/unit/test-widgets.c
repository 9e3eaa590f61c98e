/* test-widgets.c — what the counter program's widgets do without a full run:
 * the form dialog offers reasons with none chosen in advance and returns the
 * ones chosen; a parcel's record is valid Pango markup whatever the clerk
 * typed into it. Needs a display (Xvfb); skipped (77) without one. */
#include "ps-form-dialog.h"
#include "ps-parcel-text.h"
#include "ps-resources.h"
#include "ps-test-util.h"

#include <string.h>

#define T0 G_GINT64_CONSTANT (1795000000000000)

static GList *
toggles (GtkWidget *widget, GList *found)
{
  if (GTK_IS_TOGGLE_BUTTON (widget) && gtk_widget_get_visible (widget))
    found = g_list_append (found, widget);
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (widget));
      for (GList *l = children; l != NULL; l = l->next)
        found = toggles (l->data, found);
    }
  return found;
}

static void
test_reasons_without_default (void)
{
  PsTestData data = { 0 };
  ps_test_data_load (&data);

  for (int multiple = 0; multiple <= 1; multiple++)
    {
      PsFormDialog *dialog = ps_form_dialog_new (NULL, "t", "heading", "_OK");
      ps_form_dialog_add_reasons (dialog, data.reasons,
                                  multiple ? PS_REASON_HOLD : PS_REASON_REFUSE, multiple);
      g_autoptr (GList) buttons = toggles (GTK_WIDGET (dialog), NULL);
      g_assert_cmpuint (g_list_length (buttons), >, 2);

      /* Nothing chosen in advance: not even the first radio button. */
      for (GList *l = buttons; l != NULL; l = l->next)
        g_assert_false (gtk_toggle_button_get_active (l->data));
      g_auto (GStrv) none = ps_form_dialog_get_reasons (dialog);
      g_assert_cmpuint (g_strv_length (none), ==, 0);

      gtk_toggle_button_set_active (g_list_nth_data (buttons, 0), TRUE);
      gtk_toggle_button_set_active (g_list_nth_data (buttons, 2), TRUE);
      g_auto (GStrv) chosen = ps_form_dialog_get_reasons (dialog);
      /* A radio group keeps the last choice; check buttons keep both. */
      g_assert_cmpuint (g_strv_length (chosen), ==, multiple ? 2 : 1);
      const PsReason *third = NULL;
      guint seen = 0;
      for (guint i = 0; i < ps_reasons_get_n (data.reasons); i++)
        {
          const PsReason *reason = ps_reasons_get (data.reasons, i);
          if (reason->kind == (multiple ? PS_REASON_HOLD : PS_REASON_REFUSE) && seen++ == 2)
            third = reason;
        }
      g_assert_nonnull (third);
      g_assert_cmpstr (chosen[multiple ? 1 : 0], ==, third->id);
      gtk_widget_destroy (GTK_WIDGET (dialog));
    }
  ps_test_data_clear (&data);
}

static void
test_record_markup (void)
{
  g_autofree char *dir = ps_test_mkdtemp ();
  g_autofree char *db = g_build_filename (dir, "counter.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (PsStore) store = ps_store_open (db, &error);
  PsTestData data = { 0 };
  PsTestUsers users = { 0 };
  ps_test_data_load (&data);
  ps_test_users_create (store, &users, T0);

  g_autoptr (PsAcceptance) held =
      ps_test_decided (&data, users.clerk->actor, "CP003000000VN", NULL, PS_DECISION_HELD, T0);
  gint64 id = ps_store_record_decision (store, users.clerk, held, &error);
  g_assert_no_error (error);
  /* What a person typed is text, never markup. */
  g_assert_cmpint (ps_store_add_correction (store, users.clerk->actor, id,
                                            "<b>Sai</b> khối lượng & <i>địa chỉ", T0 + 1, &error),
                   >, 0);
  g_assert_no_error (error);
  g_autoptr (PsParcelDetail) detail = ps_store_get_parcel (store, id, &error);
  g_assert_no_error (error);

  g_autofree char *markup = ps_parcel_detail_describe (detail, data.reasons, TRUE);
  g_autofree char *text = NULL;
  g_assert_true (pango_parse_markup (markup, -1, 0, NULL, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "CP003000000VN"));
  g_assert_nonnull (strstr (text, "<b>Sai</b> khối lượng & <i>địa chỉ"));
  g_assert_nonnull (strstr (text, "Report to the police"));
  /* The hold reasons in words, not their codes (issue 11). */
  g_autofree char *held_for = g_strdup_printf (
      "Hold reasons: %s", ps_reasons_find (data.reasons, PS_REASON_HOLD, "concealment")->text_en);
  g_assert_nonnull (strstr (text, held_for));
  g_assert_null (strstr (text, "Hold reasons: concealment"));

  /* A typed weight's reason in words too; one this version does not know
   * (a newer version wrote it) as it is stored. */
  const struct
  {
    const char *stored, *shown;
  } reasons[] = {
    { ps_manual_weight_reason_to_id (PS_MANUAL_WEIGHT_SCALE_FAULT), "typed (The scale is faulty)" },
    { "from_a_newer_version", "typed (from_a_newer_version)" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      g_free (detail->manual_weight_reason);
      detail->manual_weight_reason = g_strdup (reasons[i].stored);
      g_autofree char *typed_markup = ps_parcel_detail_describe (detail, data.reasons, TRUE);
      g_assert_nonnull (strstr (typed_markup, reasons[i].shown));
    }

  ps_test_users_clear (&users);
  ps_test_data_clear (&data);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check (&argc, &argv))
    {
      g_print ("1..0 # SKIP no display\n");
      return 77;
    }
  ps_register_resource ();
  g_test_add_func ("/widgets/reasons-without-default", test_reasons_without_default);
  g_test_add_func ("/widgets/record-markup", test_record_markup);
  return g_test_run ();
}
