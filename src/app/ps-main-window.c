/* ps-main-window.c — the main window: the counter's identity and database.
 *
 * A template widget (ui/ps-main-window.ui); the counter screen, login and
 * supervisor pages are added to its stack as they are built.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ps-main-window.h"

struct _PsMainWindow
{
  GtkApplicationWindow parent_instance;

  GtkHeaderBar *header_bar;
  GtkLabel *office_label;
  GtkLabel *counter_label;
  GtkLabel *database_label;
};

G_DEFINE_FINAL_TYPE (PsMainWindow, ps_main_window, GTK_TYPE_APPLICATION_WINDOW)

static void
ps_main_window_class_init (PsMainWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/parcelscreen/Counter/ps-main-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PsMainWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, PsMainWindow, office_label);
  gtk_widget_class_bind_template_child (widget_class, PsMainWindow, counter_label);
  gtk_widget_class_bind_template_child (widget_class, PsMainWindow, database_label);
}

static void
ps_main_window_init (PsMainWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Shows @value, or a visible "not configured" when it is empty. */
static void
set_identity_label (GtkLabel *label, const char *value)
{
  gboolean empty = value == NULL || *value == '\0';
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (label));

  gtk_label_set_text (label, empty ? _ ("not configured") : value);
  if (empty)
    gtk_style_context_add_class (style, "not-configured");
  else
    gtk_style_context_remove_class (style, "not-configured");
}

PsMainWindow *
ps_main_window_new (PsApplication *application)
{
  g_return_val_if_fail (PS_IS_APPLICATION (application), NULL);

  PsMainWindow *self = g_object_new (PS_TYPE_MAIN_WINDOW, "application", application, NULL);
  const PsConfig *config = ps_application_get_config (application);
  const char *office = ps_config_get_string (config, "counter", "office-code");
  const char *counter = ps_config_get_string (config, "counter", "counter-id");

  set_identity_label (self->office_label, office);
  set_identity_label (self->counter_label, counter);
  gtk_label_set_text (self->database_label, ps_application_get_database_path (application));

  if (*office != '\0' || *counter != '\0')
    {
      g_autofree char *subtitle =
          g_strdup_printf (_ ("Post office %s · counter %s"), office, counter);
      gtk_header_bar_set_subtitle (self->header_bar, subtitle);
    }
  return self;
}
