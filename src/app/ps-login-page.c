/* ps-login-page.c — login and the lock screen.
 *
 * A PIN is checked on the store worker (Argon2id takes a moment): wrong PINs
 * count towards the lock-out, and the store's message says how many minutes
 * are left. A locked screen is unlocked only by the same user, so that the
 * acceptance in progress stays theirs; logging out instead discards it.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "ps-login-page.h"
#include "ps-pages.h"

struct _PsLoginPage
{
  GtkBox parent_instance;

  PsApplication *application;
  char *locked_login;    /* NULL: a normal login */
  GCancellable *pending; /* the PIN check under way, if any */

  GtkLabel *title_label;
  GtkEntry *login_entry;
  GtkEntry *pin_entry;
  GtkLabel *error_label;
  GtkButton *login_button;
  GtkButton *logout_button;
};

G_DEFINE_FINAL_TYPE (PsLoginPage, ps_login_page, GTK_TYPE_BOX)

enum
{
  SIGNAL_LOGGED_IN,
  SIGNAL_UNLOCKED,
  SIGNAL_LOGOUT_REQUESTED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

typedef struct
{
  char *login;
  char *pin;
  gboolean unlock;
  PsLockoutPolicy policy;
} Credentials;

static void
credentials_free (Credentials *credentials)
{
  g_free (credentials->login);
  if (credentials->pin != NULL)
    sodium_memzero (credentials->pin, strlen (credentials->pin));
  g_free (credentials->pin);
  g_free (credentials);
}

/* What a PIN check gives back: what it was for, and for a login the new
 * session. Typed, so that no one reads an unlock as a session. */
typedef struct
{
  gboolean unlock;
  PsSession *session; /* a login's */
} LoginOutcome;

static void
login_outcome_free (LoginOutcome *outcome)
{
  ps_session_free (outcome->session);
  g_free (outcome);
}

static void
login_job (GTask *task, PsStore *store, gpointer data)
{
  Credentials *credentials = data;
  gint64 now = g_get_real_time ();
  GError *error = NULL;
  g_autoptr (PsActor) actor = NULL;
  PsSession *session = NULL;
  LoginOutcome *outcome = NULL;

  if (credentials->unlock)
    actor = ps_store_authenticate (store, credentials->login, credentials->pin,
                                   &credentials->policy, now, &error);
  else
    session = ps_store_login (store, credentials->login, credentials->pin, &credentials->policy,
                              now, &error);
  if (actor != NULL || session != NULL)
    {
      outcome = g_new0 (LoginOutcome, 1);
      outcome->unlock = credentials->unlock;
      outcome->session = session;
    }
  ps_store_task_return (task, outcome, (GDestroyNotify) login_outcome_free, error);
}

static void
login_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PsLoginPage) self = user_data;
  g_autoptr (GError) error = NULL;
  LoginOutcome *outcome = g_task_propagate_pointer (G_TASK (result), &error);

  (void) source;
  /* Cancelled: the page has left the state it was asked in (a log-out while
   * an unlock was being checked); the answer concerns no one now. */
  if (ps_page_cancelled (error))
    return;
  g_clear_object (&self->pending);
  gtk_widget_set_sensitive (GTK_WIDGET (self->login_button), TRUE);
  gtk_entry_set_text (self->pin_entry, "");
  if (outcome == NULL)
    {
      ps_page_set_error (self->error_label, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
      return;
    }
  ps_page_set_error (self->error_label, NULL);
  if (outcome->unlock)
    {
      login_outcome_free (outcome);
      g_signal_emit (self, signals[SIGNAL_UNLOCKED], 0);
      return;
    }
  g_autoptr (PsSession) session = g_steal_pointer (&outcome->session);
  login_outcome_free (outcome);
  gtk_entry_set_text (self->login_entry, "");
  g_signal_emit (self, signals[SIGNAL_LOGGED_IN], 0, session);
}

/* Forgets the PIN check under way: its answer will be dropped. */
static void
cancel_pending (PsLoginPage *self)
{
  if (self->pending == NULL)
    return;
  g_cancellable_cancel (self->pending);
  g_clear_object (&self->pending);
  gtk_widget_set_sensitive (GTK_WIDGET (self->login_button), TRUE);
}

static void
login_clicked_cb (PsLoginPage *self)
{
  g_autofree char *login = ps_page_entry_text (self->login_entry);
  const char *pin = gtk_entry_get_text (self->pin_entry);

  if (*login == '\0')
    {
      ps_page_set_error (self->error_label, _ ("Enter your user name."));
      gtk_widget_grab_focus (GTK_WIDGET (self->login_entry));
      return;
    }
  if (*pin == '\0')
    {
      ps_page_set_error (self->error_label, _ ("Enter your PIN."));
      gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
      return;
    }

  Credentials *credentials = g_new0 (Credentials, 1);
  credentials->login = g_steal_pointer (&login);
  credentials->pin = g_strdup (pin);
  credentials->unlock = self->locked_login != NULL;
  ps_application_get_lockout_policy (self->application, &credentials->policy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->login_button), FALSE);
  ps_page_set_error (self->error_label, NULL);
  cancel_pending (self);
  self->pending = g_cancellable_new ();
  ps_store_worker_run (ps_application_get_worker (self->application),
                       credentials->unlock ? "unlock" : "log in", login_job, credentials,
                       (GDestroyNotify) credentials_free, self->pending, login_done_cb,
                       g_object_ref (self));
}

static void
logout_clicked_cb (PsLoginPage *self)
{
  g_signal_emit (self, signals[SIGNAL_LOGOUT_REQUESTED], 0);
}

void
ps_login_page_set_locked (PsLoginPage *self, const PsSession *session)
{
  g_return_if_fail (PS_IS_LOGIN_PAGE (self));

  cancel_pending (self);
  g_clear_pointer (&self->locked_login, g_free);
  ps_page_set_error (self->error_label, NULL);
  gtk_entry_set_text (self->pin_entry, "");
  if (session != NULL)
    {
      self->locked_login = g_strdup (session->actor->login);
      g_autofree char *title =
          g_strdup_printf (_ ("Locked — %s. Enter your PIN to continue."), session->full_name);
      gtk_label_set_text (self->title_label, title);
      gtk_entry_set_text (self->login_entry, session->actor->login);
      gtk_button_set_label (self->login_button, _ ("_Unlock"));
    }
  else
    {
      gtk_label_set_text (self->title_label, _ ("Log in"));
      gtk_entry_set_text (self->login_entry, "");
      gtk_button_set_label (self->login_button, _ ("_Log in"));
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->login_entry), session == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->logout_button), session != NULL);
}

static void
ps_login_page_map (GtkWidget *widget)
{
  PsLoginPage *self = PS_LOGIN_PAGE (widget);
  GTK_WIDGET_CLASS (ps_login_page_parent_class)->map (widget);
  gtk_widget_grab_default (GTK_WIDGET (self->login_button));
  gtk_widget_grab_focus (
      GTK_WIDGET (self->locked_login != NULL ? self->pin_entry : self->login_entry));
}

static void
ps_login_page_finalize (GObject *object)
{
  g_free (PS_LOGIN_PAGE (object)->locked_login);
  g_clear_object (&PS_LOGIN_PAGE (object)->pending);
  G_OBJECT_CLASS (ps_login_page_parent_class)->finalize (object);
}

static void
ps_login_page_class_init (PsLoginPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GType type = G_TYPE_FROM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = ps_login_page_finalize;
  widget_class->map = ps_login_page_map;
  signals[SIGNAL_LOGGED_IN] =
      g_signal_new ("logged-in", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                    PS_TYPE_SESSION | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_UNLOCKED] =
      g_signal_new ("unlocked", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_LOGOUT_REQUESTED] = g_signal_new ("logout-requested", type, G_SIGNAL_RUN_LAST, 0,
                                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/parcelscreen/Counter/ps-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PsLoginPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, PsLoginPage, login_entry);
  gtk_widget_class_bind_template_child (widget_class, PsLoginPage, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, PsLoginPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, PsLoginPage, login_button);
  gtk_widget_class_bind_template_child (widget_class, PsLoginPage, logout_button);
  gtk_widget_class_bind_template_callback (widget_class, login_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, logout_clicked_cb);
}

static void
ps_login_page_init (PsLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PsLoginPage *
ps_login_page_new (PsApplication *application)
{
  PsLoginPage *self = g_object_new (PS_TYPE_LOGIN_PAGE, NULL);
  self->application = application;
  return self;
}
