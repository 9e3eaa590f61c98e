/* ps-setup-page.c — the first run of a counter.
 *
 * Shown when the database has no user. The office code and counter id go to
 * the user's configuration file; the administrator to the database (the only
 * user ever created without another administrator).
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "ps-pages.h"
#include "ps-setup-page.h"

struct _PsSetupPage
{
  GtkBox parent_instance;

  PsApplication *application;
  GtkEntry *office_entry;
  GtkEntry *counter_entry;
  GtkEntry *login_entry;
  GtkEntry *name_entry;
  GtkEntry *pin_entry;
  GtkEntry *pin_again_entry;
  GtkLabel *error_label;
  GtkButton *create_button;
};

G_DEFINE_FINAL_TYPE (PsSetupPage, ps_setup_page, GTK_TYPE_BOX)

enum
{
  SIGNAL_DONE,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

typedef struct
{
  char *login;
  char *name;
  char *pin;
} NewAdmin;

static void
new_admin_free (NewAdmin *admin)
{
  g_free (admin->login);
  g_free (admin->name);
  if (admin->pin != NULL)
    sodium_memzero (admin->pin, strlen (admin->pin));
  g_free (admin->pin);
  g_free (admin);
}

static void
add_admin_job (GTask *task, PsStore *store, gpointer data)
{
  NewAdmin *admin = data;
  GError *error = NULL;
  gint64 id = ps_store_add_user (store, NULL, admin->login, admin->name, PS_ROLE_ADMIN, admin->pin,
                                 g_get_real_time (), &error);
  if (id > 0)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
add_admin_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PsSetupPage) self = user_data;
  g_autoptr (GError) error = NULL;

  (void) source;
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), TRUE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      ps_page_set_error (self->error_label, error->message);
      return;
    }
  g_autofree char *office = ps_page_entry_text (self->office_entry);
  g_autofree char *counter = ps_page_entry_text (self->counter_entry);
  if (!ps_application_save_identity (self->application, office, counter, &error))
    {
      ps_page_set_error (self->error_label, error->message);
      return;
    }
  gtk_entry_set_text (self->pin_entry, "");
  gtk_entry_set_text (self->pin_again_entry, "");
  g_signal_emit (self, signals[SIGNAL_DONE], 0);
}

static gboolean
check_required (PsSetupPage *self, GtkEntry *entry, const char *message)
{
  g_autofree char *text = ps_page_entry_text (entry);
  if (*text != '\0')
    return TRUE;
  ps_page_set_error (self->error_label, message);
  gtk_widget_grab_focus (GTK_WIDGET (entry));
  return FALSE;
}

static void
create_clicked_cb (PsSetupPage *self)
{
  g_autoptr (GError) error = NULL;

  if (!check_required (self, self->office_entry, _ ("Enter the post office code.")) ||
      !check_required (self, self->counter_entry, _ ("Enter the counter number.")) ||
      !check_required (self, self->login_entry, _ ("Enter the administrator’s login.")) ||
      !check_required (self, self->name_entry, _ ("Enter the administrator’s full name.")))
    return;

  const char *pin = gtk_entry_get_text (self->pin_entry);
  if (!ps_check_pin (pin, &error))
    {
      ps_page_set_error (self->error_label, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
      return;
    }
  if (g_strcmp0 (pin, gtk_entry_get_text (self->pin_again_entry)) != 0)
    {
      ps_page_set_error (self->error_label, _ ("The two PINs differ; type the same PIN twice."));
      gtk_entry_set_text (self->pin_again_entry, "");
      gtk_widget_grab_focus (GTK_WIDGET (self->pin_again_entry));
      return;
    }

  ps_page_set_error (self->error_label, NULL);
  NewAdmin *admin = g_new0 (NewAdmin, 1);
  admin->login = ps_page_entry_text (self->login_entry);
  admin->name = ps_page_entry_text (self->name_entry);
  admin->pin = g_strdup (pin);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), FALSE);
  ps_page_run (self->application, GTK_WIDGET (self), NULL, "add the first administrator",
               add_admin_job, admin, (GDestroyNotify) new_admin_free, add_admin_done_cb);
}

static void
ps_setup_page_map (GtkWidget *widget)
{
  PsSetupPage *self = PS_SETUP_PAGE (widget);
  GTK_WIDGET_CLASS (ps_setup_page_parent_class)->map (widget);
  gtk_widget_grab_default (GTK_WIDGET (self->create_button));
  gtk_widget_grab_focus (GTK_WIDGET (self->office_entry));
}

static void
ps_setup_page_class_init (PsSetupPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->map = ps_setup_page_map;
  signals[SIGNAL_DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/parcelscreen/Counter/ps-setup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PsSetupPage, office_entry);
  gtk_widget_class_bind_template_child (widget_class, PsSetupPage, counter_entry);
  gtk_widget_class_bind_template_child (widget_class, PsSetupPage, login_entry);
  gtk_widget_class_bind_template_child (widget_class, PsSetupPage, name_entry);
  gtk_widget_class_bind_template_child (widget_class, PsSetupPage, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, PsSetupPage, pin_again_entry);
  gtk_widget_class_bind_template_child (widget_class, PsSetupPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, PsSetupPage, create_button);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked_cb);
}

static void
ps_setup_page_init (PsSetupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PsSetupPage *
ps_setup_page_new (PsApplication *application)
{
  PsSetupPage *self = g_object_new (PS_TYPE_SETUP_PAGE, NULL);
  self->application = application;
  const PsConfig *config = ps_application_get_config (application);
  gtk_entry_set_text (self->office_entry, ps_config_get_string (config, "counter", "office-code"));
  gtk_entry_set_text (self->counter_entry, ps_config_get_string (config, "counter", "counter-id"));
  return self;
}
