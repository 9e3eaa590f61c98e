/* ps-checklist-row.c — one inspection item.
 *
 * An answer is changed by choosing the other one, never taken back: a
 * pressed button pressed again stays pressed.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ps-checklist-row.h"

struct _PsChecklistRow
{
  GtkBox parent_instance;

  guint index;
  PsAnswer answer; /* what the row shows */
  gboolean showing;

  /* Template widgets */
  GtkLabel *question_label;
  GtkToggleButton *yes_button, *no_button;
};

G_DEFINE_FINAL_TYPE (PsChecklistRow, ps_checklist_row, GTK_TYPE_BOX)

static guint answered_signal;

void
ps_checklist_row_set_answer (PsChecklistRow *self, PsAnswer answer)
{
  g_return_if_fail (PS_IS_CHECKLIST_ROW (self));
  self->answer = answer;
  self->showing = TRUE;
  gtk_toggle_button_set_active (self->yes_button, answer == PS_ANSWER_YES);
  gtk_toggle_button_set_active (self->no_button, answer == PS_ANSWER_NO);
  self->showing = FALSE;
}

static void
toggled_cb (PsChecklistRow *self, GtkToggleButton *button)
{
  if (self->showing)
    return;
  if (!gtk_toggle_button_get_active (button))
    {
      ps_checklist_row_set_answer (self, self->answer);
      return;
    }
  g_signal_emit (self, answered_signal, 0,
                 button == self->yes_button ? PS_ANSWER_YES : PS_ANSWER_NO);
}

guint
ps_checklist_row_get_index (PsChecklistRow *self)
{
  g_return_val_if_fail (PS_IS_CHECKLIST_ROW (self), 0);
  return self->index;
}

void
ps_checklist_row_focus (PsChecklistRow *self)
{
  g_return_if_fail (PS_IS_CHECKLIST_ROW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->yes_button));
}

static void
ps_checklist_row_class_init (PsChecklistRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/parcelscreen/Counter/ps-checklist-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PsChecklistRow, question_label);
  gtk_widget_class_bind_template_child (widget_class, PsChecklistRow, yes_button);
  gtk_widget_class_bind_template_child (widget_class, PsChecklistRow, no_button);
  gtk_widget_class_bind_template_callback (widget_class, toggled_cb);

  /**
   * PsChecklistRow::answered:
   * @answer: the #PsAnswer chosen
   */
  answered_signal = g_signal_new ("answered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
ps_checklist_row_init (PsChecklistRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PsChecklistRow *
ps_checklist_row_new (guint index, guint n_items, const char *text)
{
  PsChecklistRow *self = g_object_new (PS_TYPE_CHECKLIST_ROW, NULL);
  g_autofree char *numbered = g_strdup_printf ("%u. %s", index + 1, text);
  /* What a screen reader says: the answer and the question, as the clerk
   * reads them; never the item's internal id. */
  g_autofree char *yes_name = g_strdup_printf (_ ("Yes: %s"), text);
  g_autofree char *no_name = g_strdup_printf (_ ("No: %s"), text);
  g_autofree char *description =
      g_strdup_printf (_ ("Inspection item %u of %u"), index + 1, n_items);

  self->index = index;
  gtk_label_set_text (self->question_label, numbered);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->yes_button)), yes_name);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->no_button)), no_name);
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self->yes_button)),
                              description);
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self->no_button)),
                              description);
  return self;
}
