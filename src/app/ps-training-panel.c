/* ps-training-panel.c — simulated devices for training.
 *
 * The panel does not know the page: it emits "simulated-scan" (text,
 * symbology) and "simulated-weight" (a #PsScaleStatus, milligrams), which
 * the window routes like the real devices' scans and readings.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "parcelscreen/ps-tracking.h"
#include "parcelscreen/ps-weight.h"
#include "ps-pages.h"
#include "ps-training-panel.h"

struct _PsTrainingPanel
{
  GtkRevealer parent_instance;

  guint32 serial;

  /* Template widgets */
  GtkEntry *sim_weight_entry;
  GtkLabel *sim_error;
};

G_DEFINE_FINAL_TYPE (PsTrainingPanel, ps_training_panel, GTK_TYPE_REVEALER)

enum
{
  SIGNAL_SCAN,
  SIGNAL_WEIGHT,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
sim_tracking_clicked_cb (PsTrainingPanel *self)
{
  char serial[9];
  guint32 n = (g_random_int () % 90000000u) + 10000000u;
  g_snprintf (serial, sizeof serial, "%08u", n + self->serial++);
  g_autofree char *code = g_strdup_printf ("EE%s%uVN", serial, ps_s10_compute_check_digit (serial));
  g_signal_emit (self, signals[SIGNAL_SCAN], 0, code, "]C0");
}

static void
sim_cccd_clicked_cb (PsTrainingPanel *self)
{
  g_signal_emit (self, signals[SIGNAL_SCAN], 0,
                 "079190001234|023456789|Trần Thị Mai|02051990|Nữ|"
                 "12 Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh|10082021",
                 "]Q1");
}

static void
sim_weigh_clicked_cb (PsTrainingPanel *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *grams = ps_page_entry_text (self->sim_weight_entry);
  gint64 milligrams;
  if (!ps_weight_parse_grams (grams, &milligrams, &error))
    {
      ps_page_set_error (self->sim_error, error->message);
      return;
    }
  ps_page_set_error (self->sim_error, NULL);
  g_signal_emit (self, signals[SIGNAL_WEIGHT], 0, PS_SCALE_MOTION, milligrams / 2);
  g_signal_emit (self, signals[SIGNAL_WEIGHT], 0, PS_SCALE_STABLE, milligrams);
}

static void
sim_clear_clicked_cb (PsTrainingPanel *self)
{
  g_signal_emit (self, signals[SIGNAL_WEIGHT], 0, PS_SCALE_ZERO, (gint64) 0);
}

static void
ps_training_panel_class_init (PsTrainingPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/parcelscreen/Counter/ps-training-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PsTrainingPanel, sim_weight_entry);
  gtk_widget_class_bind_template_child (widget_class, PsTrainingPanel, sim_error);
  gtk_widget_class_bind_template_callback (widget_class, sim_tracking_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sim_cccd_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sim_weigh_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sim_clear_clicked_cb);

  /**
   * PsTrainingPanel::simulated-scan:
   * @text: what a scanner would deliver
   * @symbology: its AIM symbology identifier
   */
  signals[SIGNAL_SCAN] =
      g_signal_new ("simulated-scan", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * PsTrainingPanel::simulated-weight:
   * @status: a #PsScaleStatus
   * @milligrams: the weight
   */
  signals[SIGNAL_WEIGHT] =
      g_signal_new ("simulated-weight", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT64);
}

static void
ps_training_panel_init (PsTrainingPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
