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

/* Runs on the worker thread; returns a result owned by the caller of
 * ps_store_worker_finish(), or NULL with @error set. A job that returns
 * nothing returns GINT_TO_POINTER (1). */
typedef gpointer (*PsStoreJob) (PsStore *store, gpointer data, GError **error);

/**
 * ps_store_worker_new:
 * @path: the database file; opened (and migrated) by the first job
 */
PsStoreWorker *ps_store_worker_new (const char *path);
const char *ps_store_worker_get_path (PsStoreWorker *self);

/**
 * ps_store_worker_run:
 * @name: what the job does, for the slow-job log
 * @data: (transfer full): the job's input, freed with @data_free on the worker
 * @result_free: frees a result nobody collected
 */
void ps_store_worker_run (PsStoreWorker *self, const char *name, PsStoreJob job, gpointer data,
                          GDestroyNotify data_free, GDestroyNotify result_free,
                          GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data);
gpointer ps_store_worker_finish (PsStoreWorker *self, GAsyncResult *result, GError **error);

/** Blocks until every job queued so far has run (for shutdown and tests). */
void ps_store_worker_drain (PsStoreWorker *self);

G_END_DECLS
