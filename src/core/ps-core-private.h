/* ps-core-private.h — helpers shared inside src/core only. */
#pragma once

#include "config.h"

#include <glib/gi18n-lib.h>

#include "parcelscreen/parcelscreen.h"

G_BEGIN_DECLS

/* A parsed `key: value` data-file stanza (see ps-stanza.c). */
typedef struct
{
  char *key;
  char *value;
  guint line;
} PsStanzaField;

typedef struct
{
  guint line;        /* line of the stanza's first field */
  GPtrArray *fields; /* PsStanzaField */
} PsStanza;

GPtrArray *ps_stanzas_parse (const char *data, gsize len, const char *source, GError **error);
const PsStanzaField *ps_stanza_get (const PsStanza *stanza, const char *key);
gboolean ps_stanza_check_keys (const PsStanza *stanza, const char *const *allowed,
                               const char *source, GError **error);
const char *ps_stanza_require (const PsStanza *stanza, const char *key, const char *source,
                               GError **error);
gboolean ps_stanza_get_uint (const PsStanza *stanza, const char *key, guint max, gboolean required,
                             guint default_value, guint *out, const char *source, GError **error);
gboolean ps_stanza_get_bool (const PsStanza *stanza, const char *key, gboolean default_value,
                             gboolean *out, const char *source, GError **error);
gboolean ps_stanza_check_id (const PsStanzaField *field, const char *source, GError **error);
char *ps_data_digest (const char *data, gsize len);

/* Phone numbers (ps-contact.c). */
/* A phone number as typed (8 to 15 digits; blanks, dots, dashes,
 * parentheses and a leading '+' allowed): *@out gets its digits, with the
 * '+', or NULL when it is empty and not @required. FALSE with @error set if
 * it is not a phone number. */
gboolean ps_contact_check_phone (const char *text, const char *label, gboolean required, char **out,
                                 GError **error);
/* Digits only, with Vietnam's +84 written as a leading 0: what the risk
 * rules compare. */
char *ps_contact_normalize_phone (const char *phone);

/* The kind of watch-list entry named @id ("phone"), for the rules' "list". */
gboolean ps_watch_kind_from_id (const char *id, PsWatchKind *out);
/* Whether the watch list has an entry of @kind that @input matches
 * (ps-watchlist.c, for the rules). */
gboolean ps_watchlist_matches (const PsWatchlist *watchlist, PsWatchKind kind,
                               const PsRiskInput *input);

G_END_DECLS
