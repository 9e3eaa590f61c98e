/* bare-pg-insert.c — the baseline of the hub benchmark: the same signed
 * documents the counters send, inserted by a bare libpq loop over one
 * connection, one transaction each (the hub's durability: a commit per
 * document), into a table shaped like the hub's documents table. No TLS, no
 * signature check, no JSON, no projections. The table's columns are compressed
 * as the hub's are (lz4).
 *
 *   bare-pg-insert CONNINFO FILE
 * FILE holds the documents, each as a decimal length, a newline and the
 * bytes. Prints "bare N SECONDS".
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static int
run (PGconn *conn, const char *sql)
{
  PGresult *result = PQexec (conn, sql);
  int ok = PQresultStatus (result) == PGRES_COMMAND_OK;
  if (!ok)
    fprintf (stderr, "%s: %s", sql, PQerrorMessage (conn));
  PQclear (result);
  return ok;
}

int
main (int argc, char **argv)
{
  if (argc != 3)
    {
      fprintf (stderr, "usage: bare-pg-insert CONNINFO FILE\n");
      return 2;
    }
  PGconn *conn = PQconnectdb (argv[1]);
  if (PQstatus (conn) != CONNECTION_OK)
    {
      fprintf (stderr, "%s", PQerrorMessage (conn));
      return 1;
    }
  if (!run (conn, "CREATE TABLE bare_documents (id bigserial PRIMARY KEY, idempotency_key text "
                  "NOT NULL UNIQUE, sha256 text NOT NULL, body bytea COMPRESSION lz4 NOT NULL, "
                  "doc jsonb COMPRESSION lz4 NOT NULL, "
                  "received timestamptz NOT NULL DEFAULT now ())"))
    return 1;
  FILE *file = fopen (argv[2], "rb");
  if (file == NULL)
    {
      perror (argv[2]);
      return 1;
    }
  /* Read everything first: only the inserts are timed. */
  size_t count = 0, capacity = 1024;
  char **bodies = malloc (capacity * sizeof *bodies);
  int *lengths = malloc (capacity * sizeof *lengths);
  int length;
  while (fscanf (file, "%d\n", &length) == 1 && length > 0)
    {
      if (count == capacity)
        {
          capacity *= 2;
          bodies = realloc (bodies, capacity * sizeof *bodies);
          lengths = realloc (lengths, capacity * sizeof *lengths);
        }
      bodies[count] = malloc ((size_t) length + 1);
      if (fread (bodies[count], 1, (size_t) length, file) != (size_t) length)
        return 1;
      bodies[count][length] = '\0';
      lengths[count] = length;
      count++;
    }
  fclose (file);

  double start = now ();
  for (size_t i = 0; i < count; i++)
    {
      char key[32];
      snprintf (key, sizeof key, "%zu", i);
      const char *params[] = { key, "0", bodies[i], bodies[i] };
      const int param_lengths[] = { 0, 0, lengths[i], 0 };
      const int formats[] = { 0, 0, 1, 0 };
      PGresult *result = PQexecParams (conn,
                                       "INSERT INTO bare_documents (idempotency_key, sha256, body, "
                                       "doc) VALUES ($1, $2, $3, $4::jsonb)",
                                       4, NULL, params, param_lengths, formats, 0);
      if (PQresultStatus (result) != PGRES_COMMAND_OK)
        {
          fprintf (stderr, "insert: %s", PQerrorMessage (conn));
          return 1;
        }
      PQclear (result);
    }
  printf ("bare %zu %.3f\n", count, now () - start);
  for (size_t i = 0; i < count; i++)
    free (bodies[i]);
  free (bodies);
  free (lengths);
  PQfinish (conn);
  return 0;
}
