/* ps-country.h — ISO 3166-1 alpha-2 country codes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * ps_country_lookup:
 * @alpha2: a two-letter code in upper case
 *
 * Returns: (nullable): the English short name of the country (translate it with
 *   dgettext ("iso_3166-1", name)), or %NULL if @alpha2 is not an assigned code
 */
const char *ps_country_lookup (const char *alpha2);

/**
 * ps_country_display_name:
 * @alpha2: a two-letter code in upper case
 *
 * Returns: (nullable): the country name in the user's language, or %NULL
 */
const char *ps_country_display_name (const char *alpha2);

G_END_DECLS
