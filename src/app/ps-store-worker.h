/* ps-store-worker.h — the counter program's database, on a thread of its own.
 *
 * The screen never runs a query: every store call is a job handed to one
 * worker thread that owns the connection, and its result comes back to the
 * main context. Jobs run one at a time, in order. A job slower than a frame
 * (16 ms) is logged with its name.
 */
#pragma once

#include <gio/gio.h>

#include "ps-store.h"

G_BEGIN_DECLS

#define PS_TYPE_STORE_WORKER (ps_store_worker_get_type ())
G_DECLARE_FINAL_TYPE (PsStoreWorker, ps_store_worker, PS, STORE_WORKER, GObject)

/* Runs on the worker thread and ends with exactly one g_task_return_*()
 * call on @task: g_task_return_boolean(), _int(), _pointer() with its free
 * function, or _error(). The caller's callback reads the result with the
 * matching g_task_propagate_*(). */
typedef void (*PsStoreJob) (GTask *task, PsStore *store, gpointer data);

/**
 * ps_store_task_return:
 * @result: (transfer full) (nullable): the job's result, or %NULL on failure
 * @result_free: frees @result if nobody takes it
 * @error: (transfer full) (nullable): why @result is %NULL
 *
 * Ends a job that makes a pointer: returns @result, or @error. A %NULL
 * result without an error is a bug, reported as %PS_ERROR_FAILED rather
 * than handed on.
 */
void ps_store_task_return (GTask *task, gpointer result, GDestroyNotify result_free, GError *error);

/**
 * ps_store_worker_new:
 * @path: the database file; opened (and migrated) by the first job
 */
PsStoreWorker *ps_store_worker_new (const char *path);

/**
 * ps_store_worker_run:
 * @name: what the job does, for the slow-job log
 * @data: (transfer full): the job's input, freed with @data_free
 * @cancellable: (nullable): a job cancelled before it runs is not run, and
 *   @callback gets %G_IO_ERROR_CANCELLED
 */
void ps_store_worker_run (PsStoreWorker *self, const char *name, PsStoreJob job, gpointer data,
                          GDestroyNotify data_free, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data);

/** Blocks until every job queued so far has run (for shutdown and tests). */
void ps_store_worker_drain (PsStoreWorker *self);

G_END_DECLS
