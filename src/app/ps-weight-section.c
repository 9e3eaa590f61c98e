/* ps-weight-section.c — the weight.
 *
 * Readings of the scale feed a PsStableWeight; a weight is captured once it
 * has been stable long enough, and given to the acceptance. A weight
 * captured before the last decision was saved is the last parcel's, still on
 * the scale, and is not used. Typed weights need a reason, and once typed
 * the typed weight is what the large figure shows.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ps-pages.h"
#include "ps-weight-section.h"

#define WEIGHT_TICK_MS 100

struct _PsWeightSection
{
  GtkFrame parent_instance;

  /* Owned */
  PsAcceptance *acceptance;
  PsStableWeight detector;
  guint tick;
  gint64 stable_mg;     /* the value captured while it stays stable, or 0 */
  gint64 captured_mono; /* when it was captured (monotonic) */
  gint64 decided_mono;  /* when the last decision was saved */
  gboolean scale_present;

  /* Template widgets */
  GtkLabel *weight_label, *weight_state_label;
  GtkEntry *manual_weight_entry, *manual_note_entry;
  GtkComboBoxText *manual_reason_combo;
  GtkLabel *weight_error;
  GtkButton *manual_weight_button;
};

static void ps_weight_section_iface_init (PsCounterSectionInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PsWeightSection, ps_weight_section, GTK_TYPE_FRAME,
                               G_IMPLEMENT_INTERFACE (PS_TYPE_COUNTER_SECTION,
                                                      ps_weight_section_iface_init))

static void
set_stable_class (PsWeightSection *self, gboolean stable)
{
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (self->weight_label));
  if (stable)
    gtk_style_context_add_class (style, "stable");
  else
    gtk_style_context_remove_class (style, "stable");
}

void
ps_weight_section_apply_captured (PsWeightSection *self)
{
  g_return_if_fail (PS_IS_WEIGHT_SECTION (self));
  g_autoptr (GError) error = NULL;

  if (self->stable_mg <= 0 || !ps_counter_section_is_open (self->acceptance) ||
      !ps_acceptance_step_is_done (self->acceptance, PS_STEP_ITEM))
    return;
  if (self->captured_mono <= self->decided_mono)
    return; /* the last parcel, still on the scale */
  const PsAcceptanceRecord *record = ps_acceptance_get_record (self->acceptance);
  if (record->weight_source == PS_WEIGHT_SOURCE_SCALE && record->weight_mg == self->stable_mg)
    return;
  if (record->weight_source == PS_WEIGHT_SOURCE_MANUAL)
    return; /* the clerk chose to type it */
  if (!ps_acceptance_set_stable_weight (self->acceptance, self->stable_mg, g_get_real_time (),
                                        &error))
    {
      ps_page_set_error (self->weight_error, error->message);
      return;
    }
  ps_page_set_error (self->weight_error, NULL);
  g_autofree char *text = ps_weight_format (self->stable_mg);
  g_autofree char *state = g_strdup_printf (_ ("Captured from the scale: %s"), text);
  gtk_label_set_text (self->weight_state_label, state);
  PsStep step = ps_acceptance_get_step (self->acceptance);
  if (step == PS_STEP_DECLARATION || step == PS_STEP_WEIGHT)
    ps_counter_section_completed (PS_COUNTER_SECTION (self));
}

static void
captured (PsWeightSection *self, gint64 milligrams)
{
  self->stable_mg = milligrams;
  self->captured_mono = g_get_monotonic_time ();
  ps_weight_section_apply_captured (self);
}

/* Whether the acceptance holds a typed weight: then the large figure shows
 * it, the weight that will be recorded, whatever the scale reads. */
static gboolean
weight_is_typed (PsWeightSection *self)
{
  return self->acceptance != NULL &&
         ps_acceptance_get_record (self->acceptance)->weight_source == PS_WEIGHT_SOURCE_MANUAL;
}

static void
show_typed_weight (PsWeightSection *self, gint64 scale_milligrams, gboolean scale_reads)
{
  const PsAcceptanceRecord *record = ps_acceptance_get_record (self->acceptance);
  g_autofree char *typed = ps_weight_format (record->weight_mg);
  gtk_label_set_text (self->weight_label, typed);
  set_stable_class (self, TRUE);
  g_autofree char *scale = scale_reads ? ps_weight_format (scale_milligrams) : NULL;
  g_autofree char *state =
      scale != NULL
          ? g_strdup_printf (_ ("Typed by hand; this is recorded (the scale shows %s)"), scale)
          : g_strdup (_ ("Typed by hand; this is recorded"));
  gtk_label_set_text (self->weight_state_label, state);
}

/* No reading: no scale, or the one there went away. */
static void
show_no_reading (PsWeightSection *self)
{
  if (weight_is_typed (self))
    {
      show_typed_weight (self, 0, FALSE);
      return;
    }
  ps_stable_weight_init (&self->detector, self->detector.hold_us);
  self->stable_mg = 0;
  gtk_label_set_text (self->weight_label, "—");
  gtk_label_set_text (self->weight_state_label,
                      self->scale_present ? "" : _ ("No scale: type the weight below"));
}

void
ps_weight_section_handle_weight (PsWeightSection *self, PsScaleStatus status, gint64 milligrams)
{
  g_return_if_fail (PS_IS_WEIGHT_SECTION (self));
  gint64 value = 0;

  if (weight_is_typed (self))
    {
      show_typed_weight (self, milligrams, TRUE);
      return;
    }
  g_autofree char *text = ps_weight_format (milligrams);
  gtk_label_set_text (self->weight_label, text);
  set_stable_class (self, status == PS_SCALE_STABLE);
  gtk_label_set_text (self->weight_state_label, ps_scale_status_label (status));
  if (status != PS_SCALE_STABLE)
    self->stable_mg = 0;
  if (ps_stable_weight_feed (&self->detector, status, milligrams, g_get_monotonic_time (), &value))
    captured (self, value);
}

static gboolean
tick_cb (gpointer user_data)
{
  PsWeightSection *self = user_data;
  gint64 value = 0;
  if (ps_stable_weight_tick (&self->detector, g_get_monotonic_time (), &value))
    captured (self, value);
  return G_SOURCE_CONTINUE;
}

void
ps_weight_section_set_scale_present (PsWeightSection *self, gboolean present)
{
  g_return_if_fail (PS_IS_WEIGHT_SECTION (self));
  if (self->scale_present == present)
    return;
  self->scale_present = present;
  if (!present)
    {
      show_no_reading (self);
      if (gtk_combo_box_get_active (GTK_COMBO_BOX (self->manual_reason_combo)) < 0)
        gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->manual_reason_combo),
                                     ps_manual_weight_reason_to_id (PS_MANUAL_WEIGHT_NO_SCALE));
    }
  else
    gtk_label_set_text (self->weight_state_label, _ ("Put the parcel on the scale"));
}

void
ps_weight_section_mark_decided (PsWeightSection *self)
{
  g_return_if_fail (PS_IS_WEIGHT_SECTION (self));
  self->decided_mono = g_get_monotonic_time ();
}

static void
manual_weight_clicked_cb (PsWeightSection *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *grams = ps_page_entry_text (self->manual_weight_entry);
  g_autofree char *note = ps_page_entry_text (self->manual_note_entry);
  const char *reason_id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->manual_reason_combo));
  PsManualWeightReason reason;
  gint64 milligrams;

  if (self->acceptance == NULL)
    return;
  if (!ps_weight_parse_grams (grams, &milligrams, &error))
    {
      ps_page_set_error (self->weight_error, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->manual_weight_entry));
      return;
    }
  if (reason_id == NULL || !ps_manual_weight_reason_from_id (reason_id, &reason))
    {
      ps_page_set_error (self->weight_error, _ ("Choose why the weight is typed."));
      gtk_widget_grab_focus (GTK_WIDGET (self->manual_reason_combo));
      return;
    }
  if (!ps_acceptance_set_manual_weight (self->acceptance, milligrams, reason, note,
                                        g_get_real_time (), &error))
    {
      ps_page_set_error (self->weight_error, error->message);
      return;
    }
  ps_page_set_error (self->weight_error, NULL);
  show_typed_weight (self, 0, FALSE);
  ps_counter_section_completed (PS_COUNTER_SECTION (self));
}

/* ---- PsCounterSection ------------------------------------------------------- */

static void
setup (PsCounterSection *section, PsApplication *application)
{
  PsWeightSection *self = PS_WEIGHT_SECTION (section);
  gint64 hold_ms =
      ps_config_get_int (ps_application_get_config (application), "scale", "stable-ms");

  ps_stable_weight_init (&self->detector, hold_ms * 1000);
  self->tick = g_timeout_add (WEIGHT_TICK_MS, tick_cb, self);
  show_no_reading (self);
}

static void
set_acceptance (PsCounterSection *section, PsAcceptance *acceptance)
{
  PsWeightSection *self = PS_WEIGHT_SECTION (section);

  g_set_object (&self->acceptance, acceptance);
  gtk_entry_set_text (self->manual_weight_entry, "");
  gtk_entry_set_text (self->manual_note_entry, "");
  gtk_combo_box_set_active (GTK_COMBO_BOX (self->manual_reason_combo), -1);
  ps_page_set_error (self->weight_error, NULL);
}

static void
ps_weight_section_iface_init (PsCounterSectionInterface *iface)
{
  iface->setup = setup;
  iface->set_acceptance = set_acceptance;
}

static void
ps_weight_section_dispose (GObject *object)
{
  PsWeightSection *self = PS_WEIGHT_SECTION (object);

  g_clear_handle_id (&self->tick, g_source_remove);
  g_clear_object (&self->acceptance);
  G_OBJECT_CLASS (ps_weight_section_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PsWeightSection, name)

static void
ps_weight_section_class_init (PsWeightSectionClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ps_weight_section_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/parcelscreen/Counter/ps-weight-section.ui");
  BIND (weight_label);
  BIND (weight_state_label);
  BIND (manual_weight_entry);
  BIND (manual_note_entry);
  BIND (manual_reason_combo);
  BIND (weight_error);
  BIND (manual_weight_button);
  gtk_widget_class_bind_template_callback (widget_class, manual_weight_clicked_cb);
}

static void
ps_weight_section_init (PsWeightSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (int reason = PS_MANUAL_WEIGHT_NO_SCALE; reason <= PS_MANUAL_WEIGHT_OTHER; reason++)
    gtk_combo_box_text_append (self->manual_reason_combo,
                               ps_manual_weight_reason_to_id ((PsManualWeightReason) reason),
                               ps_manual_weight_reason_label ((PsManualWeightReason) reason));
}
