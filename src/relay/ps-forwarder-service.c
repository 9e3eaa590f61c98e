/* ps-forwarder-service.c — the forwarder of a running program.
 *
 * One thread, made at start and joined at stop, opens its own database
 * connection and watches the outbox until its cancellable is cancelled
 * (ps_forwarder_watch() never gives up otherwise). What it has to say comes
 * back to the main context as the "error" property.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ps-forwarder-service.h"
#include "ps-relay.h"

#define POLL_MS 2000

struct _PsForwarderService
{
  GObject parent_instance;

  /* Owned */
  PsConfig *config;
  char *database;
  GMainContext *context; /* where "error" is notified */
  GCancellable *cancellable;
  GThread *thread;
  char *error;
};

G_DEFINE_FINAL_TYPE (PsForwarderService, ps_forwarder_service, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ERROR,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void
set_error (PsForwarderService *self, const char *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

typedef struct
{
  PsForwarderService *self; /* a reference */
  char *error;
} Ended;

static gboolean
ended_cb (gpointer data)
{
  Ended *ended = data;
  if (ended->error != NULL)
    set_error (ended->self, ended->error);
  g_object_unref (ended->self);
  g_free (ended->error);
  g_free (ended);
  return G_SOURCE_REMOVE;
}

static gpointer
forwarder_thread (gpointer data)
{
  PsForwarderService *self = data;
  g_autoptr (GError) error = NULL;
  /* Opened here: opening the database is no work for the screen's thread. */
  g_autoptr (PsForwarder) forwarder = ps_forwarder_new (self->config, self->database, &error);
  Ended *ended = g_new0 (Ended, 1);

  if (forwarder != NULL)
    ps_forwarder_watch (forwarder, POLL_MS, self->cancellable);
  else
    {
      g_warning ("The forwarder could not start: %s", error->message);
      ended->error = g_strdup (error->message);
    }
  ended->self = g_object_ref (self);
  g_main_context_invoke (self->context, ended_cb, ended);
  return NULL;
}

void
ps_forwarder_service_start (PsForwarderService *self)
{
  g_return_if_fail (PS_IS_FORWARDER_SERVICE (self));
  if (self->thread != NULL)
    return;
  const char *url = ps_config_get_string (self->config, "relay", "url");
  if (url == NULL || *url == '\0')
    {
      set_error (self, _ ("No receiver is configured ([relay] url): reports stay queued."));
      return;
    }
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->thread = g_thread_new ("forwarder", forwarder_thread, self);
}

void
ps_forwarder_service_stop (PsForwarderService *self)
{
  g_return_if_fail (PS_IS_FORWARDER_SERVICE (self));
  if (self->thread == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_thread_join (g_steal_pointer (&self->thread));
  /* Its last word, still queued for the main context. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
}

const char *
ps_forwarder_service_get_error (PsForwarderService *self)
{
  g_return_val_if_fail (PS_IS_FORWARDER_SERVICE (self), NULL);
  return self->error;
}

static void
ps_forwarder_service_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  switch (id)
    {
      case PROP_ERROR:
        g_value_set_string (value, PS_FORWARDER_SERVICE (object)->error);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
ps_forwarder_service_dispose (GObject *object)
{
  ps_forwarder_service_stop (PS_FORWARDER_SERVICE (object));
  G_OBJECT_CLASS (ps_forwarder_service_parent_class)->dispose (object);
}

static void
ps_forwarder_service_finalize (GObject *object)
{
  PsForwarderService *self = PS_FORWARDER_SERVICE (object);
  ps_config_unref (self->config);
  g_free (self->database);
  g_main_context_unref (self->context);
  g_clear_object (&self->cancellable);
  g_free (self->error);
  G_OBJECT_CLASS (ps_forwarder_service_parent_class)->finalize (object);
}

static void
ps_forwarder_service_class_init (PsForwarderServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ps_forwarder_service_get_property;
  object_class->dispose = ps_forwarder_service_dispose;
  object_class->finalize = ps_forwarder_service_finalize;
  properties[PROP_ERROR] =
      g_param_spec_string ("error", NULL, NULL, NULL,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ps_forwarder_service_init (PsForwarderService *self)
{
  self->context = g_main_context_ref_thread_default ();
}

PsForwarderService *
ps_forwarder_service_new (PsConfig *config, const char *database)
{
  g_return_val_if_fail (config != NULL && database != NULL, NULL);
  PsForwarderService *self = g_object_new (PS_TYPE_FORWARDER_SERVICE, NULL);
  self->config = ps_config_ref (config);
  self->database = g_strdup (database);
  return self;
}
