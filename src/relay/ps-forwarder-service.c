/* ps-forwarder-service.c — the forwarder of a running program.
 *
 * The forwarder runs as a process of its own, `parcelscreenctl forward
 * --watch` on the program's database and configuration, started and stopped
 * with the program. The counter's window never loads the network and TLS
 * libraries (they were a third of its start-up), and a fault in them cannot
 * take the window down. The child is told to stop with SIGTERM, which it
 * obeys between two requests; it gets SIGTERM too if the program dies first.
 * Why it stopped, when it stopped on its own, comes back as the "error"
 * property, in the main context of the thread that made the service, and it
 * is started again after a pause that grows while it keeps stopping.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <signal.h>
#include <sys/prctl.h>

#include "ps-forwarder-service.h"

/* Time the child gets to finish a request before it is killed. */
#define STOP_TIMEOUT_S 15
/* A child that ends on its own is started again after RESTART_FIRST_S,
 * doubled at each end up to RESTART_MAX_S; one that ran RESTART_RESET_S
 * starts the count afresh. */
#define RESTART_FIRST_S 5
#define RESTART_MAX_S   300
#define RESTART_RESET_S 60
/* A line of the child's error output is kept up to this many bytes; the
 * rest of a longer one is dropped, so that a child that never ends a line
 * cannot fill the program's memory. */
#define MAX_LINE_BYTES 2048

struct _PsForwarderService
{
  GObject parent_instance;

  /* Owned */
  PsConfig *config;
  char *config_path;
  char *database;
  GMainContext *context; /* where "error" is notified */
  GSubprocess *child;
  GInputStream *errors; /* the child's error output */
  GString *pending;     /* the line being read, up to MAX_LINE_BYTES */
  gboolean overlong;    /* bytes of it were dropped */
  char *last_line;      /* its last line */
  GCancellable *cancellable;
  char *error;
  gboolean stopping;
  gint64 started_us; /* when the child was started */
  guint restart_s;   /* the next wait before a restart */
  guint restart_id;  /* the timeout of that restart */
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

/* parcelscreenctl beside this program (the build tree, /usr/bin), else in
 * the installed bindir. */
static char *
find_ctl (void)
{
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self_path);
      char *beside = g_build_filename (dir, "parcelscreenctl", NULL);
      if (g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
        return beside;
      g_free (beside);
    }
  return g_build_filename (PS_BINDIR, "parcelscreenctl", NULL);
}

/* In the child, between fork and exec: it is sent SIGTERM if the program
 * ends without stopping it (a crash, SIGKILL). */
static void
child_setup (gpointer data)
{
  (void) data;
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void start_child (PsForwarderService *self);

static gboolean
restart_cb (gpointer data)
{
  PsForwarderService *self = data;
  self->restart_id = 0;
  start_child (self);
  return G_SOURCE_REMOVE;
}

static void
child_ended_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PsForwarderService) self = user_data;
  GSubprocess *child = G_SUBPROCESS (source);
  g_autoptr (GError) error = NULL;

  if (!g_subprocess_wait_finish (child, result, &error))
    return; /* cancelled: stop() killed it */
  if (child == self->child)
    g_clear_object (&self->child);
  if (self->stopping)
    return;

  g_autofree char *said = g_steal_pointer (&self->last_line);
  if (said == NULL && g_subprocess_get_if_exited (child))
    said = g_strdup_printf (_ ("exit status %d"), g_subprocess_get_exit_status (child));
  else if (said == NULL)
    said = g_strdup_printf (_ ("signal %d"), g_subprocess_get_term_sig (child));
  if (g_get_monotonic_time () - self->started_us > RESTART_RESET_S * G_USEC_PER_SEC)
    self->restart_s = RESTART_FIRST_S;
  g_autofree char *message =
      g_strdup_printf (_ ("The forwarder stopped (%s); it starts again in %u s, and reports "
                          "stay queued until then."),
                       said, self->restart_s);
  g_warning ("%s", message);
  set_error (self, message);
  self->restart_id = g_timeout_add_seconds (self->restart_s, restart_cb, self);
  self->restart_s = MIN (self->restart_s * 2, RESTART_MAX_S);
}

/* Each line the child writes on its error output goes on to the program's
 * own (the journal), and the last one is kept: it says why the child gave up.
 * The bytes are read as they come, never as a whole line, and a line that
 * is not UTF-8 is mended: the reading must never stop, or the child would
 * block on a full pipe. */
static void
end_line (PsForwarderService *self)
{
  if (self->overlong)
    g_string_append (self->pending, "…");
  g_autofree char *line = g_utf8_make_valid (self->pending->str, (gssize) self->pending->len);
  g_string_truncate (self->pending, 0);
  self->overlong = FALSE;
  g_printerr ("parcelscreenctl forward: %s\n", line);
  if (*g_strstrip (line) != '\0')
    {
      g_free (self->last_line);
      self->last_line = g_steal_pointer (&line);
    }
}

static void
take_bytes (PsForwarderService *self, const char *data, gsize size)
{
  for (gsize i = 0; i < size; i++)
    {
      if (data[i] == '\n')
        end_line (self);
      else if (self->pending->len < MAX_LINE_BYTES)
        g_string_append_c (self->pending, data[i]);
      else
        self->overlong = TRUE;
    }
}

static void
bytes_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PsForwarderService) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes =
      g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  /* Stopped, or the output of a child before the one running now. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      G_INPUT_STREAM (source) != self->errors)
    return;
  if (bytes != NULL && g_bytes_get_size (bytes) > 0)
    {
      gsize size;
      const char *data = g_bytes_get_data (bytes, &size);
      take_bytes (self, data, size);
      g_input_stream_read_bytes_async (G_INPUT_STREAM (source), 4096, G_PRIORITY_DEFAULT,
                                       self->cancellable, bytes_read_cb, g_object_ref (self));
      return;
    }
  /* The end of its output (or a read that failed): the child is ending. */
  if (self->pending->len > 0 || self->overlong)
    end_line (self);
  if (self->child != NULL)
    g_subprocess_wait_async (self->child, self->cancellable, child_ended_cb, g_object_ref (self));
}

static void
start_child (PsForwarderService *self)
{
  g_autofree char *ctl = find_ctl ();
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_strv_builder_add_many (builder, ctl, "forward", "--watch", "--db", self->database, NULL);
  if (self->config_path != NULL)
    g_strv_builder_add_many (builder, "--config", self->config_path, NULL);
  g_auto (GStrv) argv = g_strv_builder_end (builder);

  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
      G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  g_autoptr (GError) error = NULL;
  self->child = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv, &error);
  if (self->child == NULL)
    {
      g_autofree char *message =
          g_strdup_printf (_ ("The forwarder could not start: %s"), error->message);
      g_warning ("%s", message);
      set_error (self, message);
      return;
    }
  /* Running again: what it said when it last stopped is past. */
  set_error (self, NULL);
  self->started_us = g_get_monotonic_time ();
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->last_line, g_free);
  g_string_truncate (self->pending, 0);
  self->overlong = FALSE;
  g_set_object (&self->errors, g_subprocess_get_stderr_pipe (self->child));
  g_input_stream_read_bytes_async (self->errors, 4096, G_PRIORITY_DEFAULT, self->cancellable,
                                   bytes_read_cb, g_object_ref (self));
}

void
ps_forwarder_service_start (PsForwarderService *self)
{
  g_return_if_fail (PS_IS_FORWARDER_SERVICE (self));
  if (self->child != NULL || self->restart_id != 0)
    return;
  const char *url = ps_config_get_string (self->config, "relay", "url");
  if (url == NULL || *url == '\0')
    {
      set_error (self, _ ("No receiver is configured ([relay] url): reports stay queued."));
      return;
    }
  self->stopping = FALSE;
  self->restart_s = RESTART_FIRST_S;
  start_child (self);
}

static gboolean
stop_timeout_cb (gpointer data)
{
  gboolean *timed_out = data;
  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
ps_forwarder_service_stop (PsForwarderService *self)
{
  g_return_if_fail (PS_IS_FORWARDER_SERVICE (self));
  self->stopping = TRUE;
  g_clear_handle_id (&self->restart_id, g_source_remove);
  if (self->child == NULL)
    return;

  g_autoptr (GSubprocess) child = g_object_ref (self->child);
  g_subprocess_send_signal (child, SIGTERM);

  /* The child finishes the request under way, if any, and exits; a child
   * that does not is killed (its row is leased, and tried again later). */
  gboolean timed_out = FALSE;
  GSource *timeout = g_timeout_source_new_seconds (STOP_TIMEOUT_S);
  g_source_set_callback (timeout, stop_timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, self->context);
  while (self->child != NULL && !timed_out)
    g_main_context_iteration (self->context, TRUE);
  g_source_destroy (timeout);
  g_source_unref (timeout);
  if (self->child != NULL)
    {
      g_warning ("The forwarder did not stop within %d s; it is killed.", STOP_TIMEOUT_S);
      g_subprocess_force_exit (child);
      g_subprocess_wait (child, NULL, NULL);
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->child);
    }
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
  g_free (self->config_path);
  g_free (self->database);
  g_main_context_unref (self->context);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->errors);
  g_string_free (self->pending, TRUE);
  g_free (self->last_line);
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
  self->pending = g_string_new (NULL);
}

PsForwarderService *
ps_forwarder_service_new (PsConfig *config, const char *config_path, const char *database)
{
  g_return_val_if_fail (config != NULL && database != NULL, NULL);
  PsForwarderService *self = g_object_new (PS_TYPE_FORWARDER_SERVICE, NULL);
  self->config = ps_config_ref (config);
  self->config_path = g_strdup (config_path);
  self->database = g_strdup (database);
  return self;
}
