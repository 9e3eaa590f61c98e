/* ps-store-worker.c — one thread, one connection, jobs in order. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "parcelscreen/ps-error.h"
#include "ps-store-worker.h"

#define SLOW_JOB_US 16000

struct _PsStoreWorker
{
  GObject parent_instance;
  char *path;
  GThreadPool *pool; /* one thread */
  PsStore *store;    /* the worker thread's only */
  GMutex lock;
  GCond idle;
  guint queued;
};

G_DEFINE_FINAL_TYPE (PsStoreWorker, ps_store_worker, G_TYPE_OBJECT)

typedef struct
{
  char *name;
  PsStoreJob job;
  gpointer data;
  GDestroyNotify data_free;
} PsJob;

static void
ps_job_free (PsJob *job)
{
  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  g_free (job->name);
  g_free (job);
}

static void
run_job (gpointer data, gpointer user_data)
{
  GTask *task = data;
  PsStoreWorker *self = user_data;
  PsJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (self->store == NULL)
    self->store = ps_store_open (self->path, &error);

  if (self->store != NULL && !g_task_return_error_if_cancelled (task))
    {
      gint64 start = g_get_monotonic_time ();
      job->job (task, self->store, job->data);
      gint64 took = g_get_monotonic_time () - start;
      if (took > SLOW_JOB_US)
        g_message ("database job ‘%s’ took %lld ms (on the worker thread, not the screen's)",
                   job->name, (long long) (took / 1000));
    }
  else if (error != NULL)
    g_task_return_error (task, error);

  g_object_unref (task);
  g_mutex_lock (&self->lock);
  if (--self->queued == 0)
    g_cond_broadcast (&self->idle);
  g_mutex_unlock (&self->lock);
}

static void
ps_store_worker_finalize (GObject *object)
{
  PsStoreWorker *self = PS_STORE_WORKER (object);

  /* Waits for the jobs queued; runs them. */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  ps_store_close (self->store);
  g_free (self->path);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->idle);
  G_OBJECT_CLASS (ps_store_worker_parent_class)->finalize (object);
}

static void
ps_store_worker_class_init (PsStoreWorkerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ps_store_worker_finalize;
}

static void
ps_store_worker_init (PsStoreWorker *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->idle);
}

PsStoreWorker *
ps_store_worker_new (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  PsStoreWorker *self = g_object_new (PS_TYPE_STORE_WORKER, NULL);
  self->path = g_strdup (path);
  /* Exclusive, one thread: the connection is used by that thread alone. The
   * pool holds no reference, so that the worker can be finalized. */
  self->pool = g_thread_pool_new (run_job, self, 1, TRUE, NULL);
  return self;
}

void
ps_store_worker_run (PsStoreWorker *self, const char *name, PsStoreJob job, gpointer data,
                     GDestroyNotify data_free, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (PS_IS_STORE_WORKER (self));

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  PsJob *job_data = g_new0 (PsJob, 1);
  job_data->name = g_strdup (name);
  job_data->job = job;
  job_data->data = data;
  job_data->data_free = data_free;
  g_task_set_task_data (task, job_data, (GDestroyNotify) ps_job_free);
  g_task_set_name (task, name);

  g_mutex_lock (&self->lock);
  self->queued++;
  g_mutex_unlock (&self->lock);
  g_thread_pool_push (self->pool, task, NULL);
}

void
ps_store_task_return (GTask *task, gpointer result, GDestroyNotify result_free, GError *error)
{
  if (result != NULL)
    {
      g_clear_error (&error);
      g_task_return_pointer (task, result, result_free);
    }
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_new_error (task, PS_ERROR, PS_ERROR_FAILED,
                             _ ("The database job ‘%s’ failed without saying why."),
                             g_task_get_name (task));
}

void
ps_store_worker_drain (PsStoreWorker *self)
{
  g_return_if_fail (PS_IS_STORE_WORKER (self));

  g_mutex_lock (&self->lock);
  while (self->queued > 0)
    g_cond_wait (&self->idle, &self->lock);
  g_mutex_unlock (&self->lock);
}
