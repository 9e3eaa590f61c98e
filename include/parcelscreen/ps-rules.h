/* ps-rules.h — risk indicators: rules from a data file, watch lists, evaluation. */
#pragma once

#include <glib.h>
#include "ps-checklist.h"
#include "ps-declaration.h"

G_BEGIN_DECLS

typedef enum
{
  PS_RULE_WORD,
  PS_RULE_WEIGHT,
  PS_RULE_WATCHLIST,
  PS_RULE_MANUAL_WEIGHT,
  PS_RULE_REFUSED_CONSENT,
  PS_RULE_REPEAT_SENDER,
  PS_RULE_INSPECTION, /* an inspection item answered the failing way (not in rule files) */
} PsRuleKind;

/** What a watch-list entry names. */
typedef enum
{
  PS_WATCH_ID,
  PS_WATCH_PHONE,
  PS_WATCH_NAME,
  PS_WATCH_PLACE,
  PS_WATCH_COUNTRY,
} PsWatchKind;

typedef struct _PsRules PsRules;
typedef struct _PsWatchlist PsWatchlist;

/**
 * PsRiskHit:
 * @rule_id: the id of the rule that fired
 * @kind: the kind of that rule
 * @score: its score
 * @reason_vi: the reason for a person, Vietnamese
 * @reason_en: the reason for a person, English
 */
typedef struct
{
  char *rule_id;
  PsRuleKind kind;
  guint score;
  char *reason_vi;
  char *reason_en;
} PsRiskHit;

void ps_risk_hit_free (PsRiskHit *hit);
PsRiskHit *ps_risk_hit_copy (const PsRiskHit *hit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRiskHit, ps_risk_hit_free)

/**
 * ps_rules_parse:
 * @data: the file's contents
 * @len: length of @data in bytes
 * @source: the file name, for messages
 * @error: return location for a %PS_ERROR_DATA_FILE error
 *
 * Parses the rules format: a stanza `threshold: N`, then one stanza a rule
 * with `rule` (word, weight, watchlist, manual-weight, refused-consent,
 * repeat-sender), `id`, `score`, `vi`, `en` and the rule's own keys: `match`
 * for words; `category` and `min-grams`/`max-grams` for weights; `list` (id,
 * phone, name, place, country) for watch lists; `window-hours`, `min-parcels` and
 * `min-recipients` for repeat senders.
 *
 * Returns: (transfer full): the rules, or %NULL with @error set
 */
PsRules *ps_rules_parse (const char *data, gsize len, const char *source, GError **error);
PsRules *ps_rules_ref (PsRules *rules);
void ps_rules_unref (PsRules *rules);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRules, ps_rules_unref)

/** Returns: the total score from which an accept needs a supervisor. */
guint ps_rules_get_threshold (const PsRules *rules);
guint ps_rules_get_n (const PsRules *rules);
/** Returns: the look-back window of the repeat-sender rule in hours, 0 if there is none. */
guint ps_rules_get_repeat_window_hours (const PsRules *rules);

/**
 * ps_watchlist_parse:
 * @data: the file's contents
 * @len: length of @data in bytes
 * @source: the file name, for messages
 * @error: return location for a %PS_ERROR_DATA_FILE error
 *
 * One entry a line: a kind (`id`, `phone`, `name`, `place`, `country`), blanks, the
 * value. Lines starting with `#` and blank lines are ignored.
 *
 * Returns: (transfer full): the watch list, or %NULL with @error set
 */
PsWatchlist *ps_watchlist_parse (const char *data, gsize len, const char *source, GError **error);
PsWatchlist *ps_watchlist_new (void);
PsWatchlist *ps_watchlist_ref (PsWatchlist *watchlist);
void ps_watchlist_unref (PsWatchlist *watchlist);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsWatchlist, ps_watchlist_unref)
guint ps_watchlist_get_n (const PsWatchlist *watchlist);

/**
 * PsRiskInput:
 * Everything the rules look at. Strings may be %NULL when not known yet.
 * @history_recipients holds a key for each earlier parcel of the same sender
 * within the repeat-sender window (see ps_risk_recipient_key()).
 */
typedef struct
{
  const char *declaration;
  gboolean has_declaration;
  PsCategory category;
  gboolean has_weight;
  gint64 weight_mg;
  gboolean weight_manual;
  const char *sender_id;
  const char *sender_name;
  const char *sender_phone;
  const char *sender_address;
  const char *recipient_name;
  const char *recipient_phone;
  const char *recipient_address;
  const char *destination_country;
  PsAnswer consent;
  const char *const *history_recipients;
} PsRiskInput;

/**
 * ps_risk_recipient_key:
 * Returns: (transfer full): the key that tells recipients apart for the
 *   repeat-sender rule: the folded name and the phone's digits
 */
char *ps_risk_recipient_key (const char *name, const char *phone);

/**
 * ps_rules_add_inspection_hits:
 * @answers: one per checklist item, in its order
 *
 * Adds to @hits one indicator per inspection item answered the failing way
 * (the consent aside, which has its rule), scored at the threshold: a clerk
 * who saw prohibited goods or a hidden compartment has the strongest reason
 * there is, and the risk panel must say so.
 */
void ps_rules_add_inspection_hits (const PsRules *rules, const PsChecklist *checklist,
                                   const PsAnswer *answers, GPtrArray *hits);

/**
 * ps_rules_evaluate:
 * @rules: the rules
 * @watchlist: (nullable): the watch list
 * @input: the acceptance so far
 *
 * Returns: (transfer container) (element-type PsRiskHit): the hits, in the
 *   order of the rules file; each rule fires at most once
 */
GPtrArray *ps_rules_evaluate (const PsRules *rules, const PsWatchlist *watchlist,
                              const PsRiskInput *input);

/** Returns: the sum of the scores of @hits. */
guint ps_risk_total (const GPtrArray *hits);

G_END_DECLS
