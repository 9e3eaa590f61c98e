/* ps-inspection-section.c — the mandatory inspection: one row per item of
 * the checklist, answered in front of the sender. There is no default
 * answer, and the items open only once the sender is identified and the
 * declaration recorded (the core says when). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ps-checklist-row.h"
#include "ps-inspection-section.h"
#include "ps-pages.h"

struct _PsInspectionSection
{
  GtkFrame parent_instance;

  /* Owned */
  PsAcceptance *acceptance;
  GPtrArray *rows; /* PsChecklistRow, in checklist order; borrowed from the box */
  PsChecklist *checklist;

  /* Template widgets */
  GtkLabel *inspection_hint;
  GtkBox *checklist_box;
  GtkLabel *inspection_error;
};

static void ps_inspection_section_iface_init (PsCounterSectionInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PsInspectionSection, ps_inspection_section, GTK_TYPE_FRAME,
                               G_IMPLEMENT_INTERFACE (PS_TYPE_COUNTER_SECTION,
                                                      ps_inspection_section_iface_init))

static void
show_answers (PsInspectionSection *self)
{
  const PsAcceptanceRecord *record =
      self->acceptance != NULL ? ps_acceptance_get_record (self->acceptance) : NULL;
  for (guint i = 0; i < self->rows->len; i++)
    ps_checklist_row_set_answer (g_ptr_array_index (self->rows, i),
                                 record != NULL ? record->answers[i] : PS_ANSWER_NONE);
}

static void
answered_cb (PsChecklistRow *row, int answer, PsInspectionSection *self)
{
  g_autoptr (GError) error = NULL;
  guint index = ps_checklist_row_get_index (row);

  if (self->acceptance == NULL)
    return;
  const PsChecklistItem *item = ps_checklist_get_item (self->checklist, index);
  if (!ps_acceptance_answer (self->acceptance, item->id, (PsAnswer) answer, g_get_real_time (),
                             &error))
    {
      ps_page_set_error (self->inspection_error, error->message);
      show_answers (self);
      return;
    }
  ps_page_set_error (self->inspection_error, NULL);
  if (index + 1 < self->rows->len)
    ps_checklist_row_focus (g_ptr_array_index (self->rows, index + 1));
  else
    ps_counter_section_completed (PS_COUNTER_SECTION (self));
}

gboolean
ps_inspection_section_focus_unanswered (PsInspectionSection *self)
{
  g_return_val_if_fail (PS_IS_INSPECTION_SECTION (self), FALSE);
  if (self->acceptance == NULL)
    return FALSE;
  const PsAcceptanceRecord *record = ps_acceptance_get_record (self->acceptance);
  for (guint i = 0; i < self->rows->len; i++)
    if (record->answers[i] == PS_ANSWER_NONE)
      {
        ps_checklist_row_focus (g_ptr_array_index (self->rows, i));
        return TRUE;
      }
  return FALSE;
}

/* ---- PsCounterSection ------------------------------------------------------- */

static void
setup (PsCounterSection *section, PsApplication *application)
{
  PsInspectionSection *self = PS_INSPECTION_SECTION (section);
  const char *language = ps_current_language ();

  self->checklist = ps_checklist_ref (ps_application_get_checklist (application));
  guint n_items = ps_checklist_get_n_items (self->checklist);
  for (guint i = 0; i < n_items; i++)
    {
      const PsChecklistItem *item = ps_checklist_get_item (self->checklist, i);
      PsChecklistRow *row = ps_checklist_row_new (
          i, n_items, ps_pick_language (language, item->text_vi, item->text_en));
      g_signal_connect_object (row, "answered", G_CALLBACK (answered_cb), self, 0);
      gtk_container_add (GTK_CONTAINER (self->checklist_box), GTK_WIDGET (row));
      g_ptr_array_add (self->rows, row);
    }
}

static void
set_acceptance (PsCounterSection *section, PsAcceptance *acceptance)
{
  PsInspectionSection *self = PS_INSPECTION_SECTION (section);

  g_set_object (&self->acceptance, acceptance);
  ps_page_set_error (self->inspection_error, NULL);
  show_answers (self);
}

static void
refresh (PsCounterSection *section)
{
  PsInspectionSection *self = PS_INSPECTION_SECTION (section);
  gboolean has_tracking =
      self->acceptance != NULL && ps_acceptance_step_is_done (self->acceptance, PS_STEP_ITEM);
  gboolean ready = self->acceptance != NULL && ps_acceptance_can_inspect (self->acceptance, NULL);

  show_answers (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->checklist_box),
                            ready && ps_counter_section_is_open (self->acceptance));
  gtk_label_set_text (self->inspection_hint,
                      ready || !has_tracking
                          ? _ ("Ask, open and check in front of the sender. Answer every "
                               "item: there is no default.")
                          : _ ("First identify the sender and record the declaration: "
                               "the sender consents to the check, and the contents are "
                               "compared with what was declared."));
}

static void
ps_inspection_section_iface_init (PsCounterSectionInterface *iface)
{
  iface->setup = setup;
  iface->set_acceptance = set_acceptance;
  iface->refresh = refresh;
}

static void
ps_inspection_section_dispose (GObject *object)
{
  PsInspectionSection *self = PS_INSPECTION_SECTION (object);

  g_clear_object (&self->acceptance);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->checklist, ps_checklist_unref);
  G_OBJECT_CLASS (ps_inspection_section_parent_class)->dispose (object);
}

static void
ps_inspection_section_class_init (PsInspectionSectionClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ps_inspection_section_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/parcelscreen/Counter/ps-inspection-section.ui");
  gtk_widget_class_bind_template_child (widget_class, PsInspectionSection, inspection_hint);
  gtk_widget_class_bind_template_child (widget_class, PsInspectionSection, checklist_box);
  gtk_widget_class_bind_template_child (widget_class, PsInspectionSection, inspection_error);
}

static void
ps_inspection_section_init (PsInspectionSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
}
