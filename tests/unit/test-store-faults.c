/* test-store-faults.c — a decision under failing writes, syncs and
 * allocations.
 *
 * A shim VFS over SQLite's own fails the Nth write (disk full or I/O
 * error) or sync of the decision's transaction, and every one after it, as
 * a full or dying disk does; an allocator fails the Nth allocation once.
 * N runs over every position until the decision goes through untouched.
 * After each failure the database, reopened, must pass integrity_check and
 * hold the decision either fully or not at all, with a whole audit trail;
 * the error must have reached the caller; and the same decision, retried,
 * must succeed.
 */
#include "ps-test-util.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#define T0 G_GINT64_CONSTANT (1795000000000000)

typedef enum
{
  FAULT_NONE,
  FAULT_WRITE_FULL,
  FAULT_WRITE_IO,
  FAULT_SYNC,
  FAULT_MALLOC,
} FaultKind;

static FaultKind armed_kind;
static gint64 countdown;
static gboolean fired;

static void
arm (FaultKind kind, gint64 n)
{
  armed_kind = kind;
  countdown = n;
  fired = FALSE;
}

static void
disarm (void)
{
  armed_kind = FAULT_NONE;
}

/* TRUE if this operation of @kind must fail. I/O faults persist once fired;
 * an allocation fails once. */
static gboolean
should_fail (FaultKind kind)
{
  if (armed_kind != kind)
    return FALSE;
  if (fired)
    return kind != FAULT_MALLOC;
  if (--countdown > 0)
    return FALSE;
  fired = TRUE;
  return TRUE;
}

/* ---- The shim VFS ------------------------------------------------------------------ */

typedef struct
{
  sqlite3_file base;
  sqlite3_file *real; /* follows this struct in the same allocation */
} ShimFile;

static sqlite3_vfs *real_vfs;
static sqlite3_io_methods shim_methods;

#define REAL(file) (((ShimFile *) (file))->real)

static int
shim_close (sqlite3_file *file)
{
  return REAL (file)->pMethods->xClose (REAL (file));
}

static int
shim_read (sqlite3_file *file, void *buffer, int amount, sqlite3_int64 offset)
{
  return REAL (file)->pMethods->xRead (REAL (file), buffer, amount, offset);
}

static int
shim_write (sqlite3_file *file, const void *buffer, int amount, sqlite3_int64 offset)
{
  if (should_fail (FAULT_WRITE_FULL))
    return SQLITE_FULL;
  if (should_fail (FAULT_WRITE_IO))
    return SQLITE_IOERR_WRITE;
  return REAL (file)->pMethods->xWrite (REAL (file), buffer, amount, offset);
}

static int
shim_truncate (sqlite3_file *file, sqlite3_int64 size)
{
  if (should_fail (FAULT_WRITE_IO))
    return SQLITE_IOERR_TRUNCATE;
  return REAL (file)->pMethods->xTruncate (REAL (file), size);
}

static int
shim_sync (sqlite3_file *file, int flags)
{
  if (should_fail (FAULT_SYNC))
    return SQLITE_IOERR_FSYNC;
  return REAL (file)->pMethods->xSync (REAL (file), flags);
}

static int
shim_file_size (sqlite3_file *file, sqlite3_int64 *size)
{
  return REAL (file)->pMethods->xFileSize (REAL (file), size);
}

static int
shim_lock (sqlite3_file *file, int lock)
{
  return REAL (file)->pMethods->xLock (REAL (file), lock);
}

static int
shim_unlock (sqlite3_file *file, int lock)
{
  return REAL (file)->pMethods->xUnlock (REAL (file), lock);
}

static int
shim_check_reserved_lock (sqlite3_file *file, int *out)
{
  return REAL (file)->pMethods->xCheckReservedLock (REAL (file), out);
}

static int
shim_file_control (sqlite3_file *file, int op, void *arg)
{
  return REAL (file)->pMethods->xFileControl (REAL (file), op, arg);
}

static int
shim_sector_size (sqlite3_file *file)
{
  return REAL (file)->pMethods->xSectorSize (REAL (file));
}

static int
shim_device_characteristics (sqlite3_file *file)
{
  return REAL (file)->pMethods->xDeviceCharacteristics (REAL (file));
}

static int
shim_shm_map (sqlite3_file *file, int region, int size, int extend, void volatile **out)
{
  return REAL (file)->pMethods->xShmMap (REAL (file), region, size, extend, out);
}

static int
shim_shm_lock (sqlite3_file *file, int offset, int n, int flags)
{
  return REAL (file)->pMethods->xShmLock (REAL (file), offset, n, flags);
}

static void
shim_shm_barrier (sqlite3_file *file)
{
  REAL (file)->pMethods->xShmBarrier (REAL (file));
}

static int
shim_shm_unmap (sqlite3_file *file, int delete_flag)
{
  return REAL (file)->pMethods->xShmUnmap (REAL (file), delete_flag);
}

static int
shim_fetch (sqlite3_file *file, sqlite3_int64 offset, int amount, void **out)
{
  return REAL (file)->pMethods->xFetch (REAL (file), offset, amount, out);
}

static int
shim_unfetch (sqlite3_file *file, sqlite3_int64 offset, void *pointer)
{
  return REAL (file)->pMethods->xUnfetch (REAL (file), offset, pointer);
}

static int
shim_open (sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
  (void) vfs;
  ShimFile *shim = (ShimFile *) file;
  shim->real = (sqlite3_file *) (shim + 1);
  int rc = real_vfs->xOpen (real_vfs, name, shim->real, flags, out_flags);
  /* SQLite calls xClose only when pMethods is set. */
  file->pMethods = shim->real->pMethods != NULL ? &shim_methods : NULL;
  return rc;
}

static int
shim_delete (sqlite3_vfs *vfs, const char *name, int sync_dir)
{
  (void) vfs;
  return real_vfs->xDelete (real_vfs, name, sync_dir);
}

static int
shim_access (sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
  (void) vfs;
  return real_vfs->xAccess (real_vfs, name, flags, out);
}

static int
shim_full_pathname (sqlite3_vfs *vfs, const char *name, int n, char *out)
{
  (void) vfs;
  return real_vfs->xFullPathname (real_vfs, name, n, out);
}

static int
shim_randomness (sqlite3_vfs *vfs, int n, char *out)
{
  (void) vfs;
  return real_vfs->xRandomness (real_vfs, n, out);
}

static int
shim_sleep (sqlite3_vfs *vfs, int microseconds)
{
  (void) vfs;
  return real_vfs->xSleep (real_vfs, microseconds);
}

static int
shim_current_time (sqlite3_vfs *vfs, double *out)
{
  (void) vfs;
  return real_vfs->xCurrentTime (real_vfs, out);
}

static int
shim_get_last_error (sqlite3_vfs *vfs, int n, char *out)
{
  (void) vfs;
  return real_vfs->xGetLastError (real_vfs, n, out);
}

static int
shim_current_time_int64 (sqlite3_vfs *vfs, sqlite3_int64 *out)
{
  (void) vfs;
  return real_vfs->xCurrentTimeInt64 (real_vfs, out);
}

static sqlite3_vfs shim_vfs;

static void
register_shim_vfs (void)
{
  real_vfs = sqlite3_vfs_find (NULL);
  g_assert_nonnull (real_vfs);

  shim_methods = (sqlite3_io_methods){
    .iVersion = 3,
    .xClose = shim_close,
    .xRead = shim_read,
    .xWrite = shim_write,
    .xTruncate = shim_truncate,
    .xSync = shim_sync,
    .xFileSize = shim_file_size,
    .xLock = shim_lock,
    .xUnlock = shim_unlock,
    .xCheckReservedLock = shim_check_reserved_lock,
    .xFileControl = shim_file_control,
    .xSectorSize = shim_sector_size,
    .xDeviceCharacteristics = shim_device_characteristics,
    .xShmMap = shim_shm_map,
    .xShmLock = shim_shm_lock,
    .xShmBarrier = shim_shm_barrier,
    .xShmUnmap = shim_shm_unmap,
    .xFetch = shim_fetch,
    .xUnfetch = shim_unfetch,
  };
  shim_vfs = (sqlite3_vfs){
    .iVersion = 2,
    .szOsFile = (int) sizeof (ShimFile) + real_vfs->szOsFile,
    .mxPathname = real_vfs->mxPathname,
    .zName = "ps-faults",
    .xOpen = shim_open,
    .xDelete = shim_delete,
    .xAccess = shim_access,
    .xFullPathname = shim_full_pathname,
    .xDlOpen = real_vfs->xDlOpen,
    .xDlError = real_vfs->xDlError,
    .xDlSym = real_vfs->xDlSym,
    .xDlClose = real_vfs->xDlClose,
    .xRandomness = shim_randomness,
    .xSleep = shim_sleep,
    .xCurrentTime = shim_current_time,
    .xGetLastError = shim_get_last_error,
    .xCurrentTimeInt64 = shim_current_time_int64,
  };
  g_assert_cmpint (sqlite3_vfs_register (&shim_vfs, 1), ==, SQLITE_OK);
}

/* ---- The failing allocator -------------------------------------------------------------- */

static sqlite3_mem_methods real_memory;

static void *
failing_malloc (int size)
{
  return should_fail (FAULT_MALLOC) ? NULL : real_memory.xMalloc (size);
}

static void *
failing_realloc (void *pointer, int size)
{
  return should_fail (FAULT_MALLOC) ? NULL : real_memory.xRealloc (pointer, size);
}

static void
install_failing_allocator (void)
{
  sqlite3_mem_methods methods;

  g_assert_cmpint (sqlite3_config (SQLITE_CONFIG_GETMALLOC, &real_memory), ==, SQLITE_OK);
  methods = real_memory;
  methods.xMalloc = failing_malloc;
  methods.xRealloc = failing_realloc;
  g_assert_cmpint (sqlite3_config (SQLITE_CONFIG_MALLOC, &methods), ==, SQLITE_OK);
}

/* ---- The test --------------------------------------------------------------------------- */

typedef struct
{
  char *dir;
  char *template_path;
  char *work_path;
  PsTestData data;
  PsTestUsers users;
  gint64 template_audit;
} Fixture;

static gint64
count (const char *path, const char *sql)
{
  g_autofree char *text = ps_test_query (path, sql);
  return g_ascii_strtoll (text, NULL, 10);
}

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *contents = NULL;
  gsize len;
  g_autofree char *wal = g_strconcat (to, "-wal", NULL);
  g_autofree char *shm = g_strconcat (to, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
  g_assert_true (g_file_get_contents (from, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (to, contents, (gssize) len, NULL));
  g_chmod (to, 0600);
}

/* 0 if the decision is wholly absent, 1 if wholly there; fails otherwise. */
static int
decision_presence (Fixture *fixture)
{
  const char *path = fixture->work_path;
  gint64 parcels = count (path, "SELECT count(*) FROM parcels WHERE tracking = 'CP003000000VN'");
  gint64 parts[] = {
    count (path, "SELECT count(*) FROM inspection_answers"),
    count (path, "SELECT count(*) FROM parcel_events"),
    count (path, "SELECT count(*) FROM reports"),
    count (path, "SELECT count(*) FROM custody_events"),
    count (path, "SELECT count(*) FROM outbox"),
    count (path, "SELECT count(*) FROM audit") - fixture->template_audit,
  };
  gint64 whole[] = { 7, 13, 1, 1, 1, 2 };

  g_assert_cmpint (parcels, <=, 1);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != (parcels == 1 ? whole[i] : 0))
      g_error ("half a decision: part %u has %" G_GINT64_FORMAT " rows with %" G_GINT64_FORMAT
               " parcels",
               i, parts[i], parcels);
  return (int) parcels;
}

static void
check_database (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PsStore) store = ps_store_open (fixture->work_path, &error);
  g_assert_no_error (error);
  g_assert_true (ps_store_check (store, &error));
  g_assert_no_error (error);
  g_auto (PsAuditResult) result = { 0 };
  g_assert_true (ps_store_audit_verify (store, &result, &error));
  if (result.problem != PS_AUDIT_OK)
    g_error ("audit after a fault: %s", result.detail);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;

  fixture->dir = ps_test_mkdtemp ();
  fixture->template_path = g_build_filename (fixture->dir, "template.db", NULL);
  fixture->work_path = g_build_filename (fixture->dir, "work.db", NULL);
  ps_test_data_load (&fixture->data);

  g_autoptr (PsStore) store = ps_store_open (fixture->template_path, &error);
  g_assert_no_error (error);
  ps_test_users_create (store, &fixture->users, T0);
  ps_store_close (g_steal_pointer (&store));
  fixture->template_audit = count (fixture->template_path, "SELECT count(*) FROM audit");
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  (void) data;
  ps_test_users_clear (&fixture->users);
  ps_test_data_clear (&fixture->data);
  ps_test_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->template_path);
  g_free (fixture->work_path);
}

static void
test_faults (Fixture *fixture, gconstpointer data)
{
  FaultKind kind = (FaultKind) GPOINTER_TO_INT (data);
  guint n_failures = 0, n_committed_despite_error = 0;
  gint64 n;

  for (n = 1; n < 100000; n++)
    {
      g_autoptr (GError) error = NULL;
      copy_file (fixture->template_path, fixture->work_path);
      g_autoptr (PsStore) store = ps_store_open (fixture->work_path, &error);
      g_assert_no_error (error);
      g_autoptr (PsAcceptance) acceptance =
          ps_test_decided (&fixture->data, fixture->users.clerk->actor, "CP003000000VN", NULL,
                           PS_DECISION_HELD, T0 + 1000);

      arm (kind, n);
      gint64 id = ps_store_record_decision (store, fixture->users.clerk, acceptance, &error);
      gboolean faulted = fired;
      disarm ();
      ps_store_close (g_steal_pointer (&store));

      if (!faulted)
        {
          /* N is past the last operation: the decision went through. */
          g_assert_no_error (error);
          g_assert_cmpint (id, >, 0);
          g_assert_cmpint (decision_presence (fixture), ==, 1);
          break;
        }

      check_database (fixture);
      int present = decision_presence (fixture);
      if (id > 0)
        {
          /* SQLite recovered from the fault by itself. */
          g_assert_no_error (error);
          g_assert_cmpint (present, ==, 1);
          continue;
        }

      /* The error reached the caller, and says what a clerk can act on. */
      n_failures++;
      g_assert_nonnull (error);
      g_assert_true (error->domain == PS_ERROR);
      if (kind == FAULT_WRITE_FULL)
        g_assert_true (error->code == PS_ERROR_STORAGE_FULL || error->code == PS_ERROR_STORAGE_IO);
      if (kind == FAULT_WRITE_IO || kind == FAULT_SYNC)
        g_assert_cmpint (error->code, ==, PS_ERROR_STORAGE_IO);
      if (kind == FAULT_MALLOC)
        g_assert_true (error->code == PS_ERROR_STORAGE || error->code == PS_ERROR_STORAGE_IO);
      /* A commit whose sync failed may still have reached the write-ahead log. */
      n_committed_despite_error += present;

      /* The clerk presses the button again: the same decision succeeds, once. */
      g_clear_error (&error);
      g_autoptr (PsStore) again = ps_store_open (fixture->work_path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ps_store_record_decision (again, fixture->users.clerk, acceptance, &error),
                       >, 0);
      g_assert_no_error (error);
      ps_store_close (g_steal_pointer (&again));
      g_assert_cmpint (decision_presence (fixture), ==, 1);
    }

  g_assert_cmpint (n, <, 100000);
  g_assert_cmpuint (n_failures, >, 0);
  g_test_message ("fault kind %d: %" G_GINT64_FORMAT " positions, %u failures reported, %u of "
                  "them committed nonetheless",
                  kind, n - 1, n_failures, n_committed_despite_error);
}

int
main (int argc, char **argv)
{
  install_failing_allocator ();
  register_shim_vfs ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, kind)                                                                            \
  g_test_add (path, Fixture, GINT_TO_POINTER (kind), fixture_set_up, test_faults, fixture_tear_down)
  ADD ("/store/faults/disk-full", FAULT_WRITE_FULL);
  ADD ("/store/faults/write-error", FAULT_WRITE_IO);
  ADD ("/store/faults/sync-error", FAULT_SYNC);
  ADD ("/store/faults/allocation", FAULT_MALLOC);
#undef ADD
  return g_test_run ();
}
