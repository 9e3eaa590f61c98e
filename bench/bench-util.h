/* bench-util.h — what the C benchmarks share. */
#pragma once

#include <glib.h>
#include <stdlib.h>

static inline int
bench_compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* The @p quantile (0 to 1) of @samples (doubles), which it sorts. */
static inline double
bench_percentile (GArray *samples, double p)
{
  qsort (samples->data, samples->len, sizeof (double), bench_compare_doubles);
  return g_array_index (samples, double, (guint) (p * (samples->len - 1) + 0.5));
}
