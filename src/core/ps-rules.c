/* ps-rules.c — risk indicators from the rules data file and watch lists.
 *
 * A rule never accuses: each hit adds a score and a reason a person can read,
 * and only the total against the threshold decides whether an accept needs a
 * supervisor.
 */
#include "ps-core-private.h"

#include <string.h>

#define RULES_MAX      1000
#define RULE_SCORE_MAX 1000
#define RULE_TEXT_MAX  500

typedef struct
{
  char *id;
  PsRuleKind kind;
  guint score;
  char *reason_vi;
  char *reason_en;

  char *match;         /* word: folded phrase */
  PsCategory category; /* weight */
  gboolean has_min, has_max;
  gint64 min_mg, max_mg; /* weight */
  PsWatchKind list;      /* watchlist */
  guint window_hours;    /* repeat-sender */
  guint min_parcels;     /* repeat-sender */
  guint min_recipients;  /* repeat-sender */
} PsRule;

struct _PsRules
{
  guint threshold;
  GPtrArray *rules; /* PsRule */
};

static const struct
{
  const char *id;
  PsRuleKind kind;
} rule_kinds[] = {
  { "word", PS_RULE_WORD },
  { "weight", PS_RULE_WEIGHT },
  { "watchlist", PS_RULE_WATCHLIST },
  { "manual-weight", PS_RULE_MANUAL_WEIGHT },
  { "refused-consent", PS_RULE_REFUSED_CONSENT },
  { "repeat-sender", PS_RULE_REPEAT_SENDER },
};

static void
ps_rule_free (PsRule *rule)
{
  g_free (rule->id);
  g_free (rule->reason_vi);
  g_free (rule->reason_en);
  g_free (rule->match);
  g_free (rule);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRule, ps_rule_free)

void
ps_risk_hit_free (PsRiskHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->rule_id);
  g_free (hit->reason_vi);
  g_free (hit->reason_en);
  g_free (hit);
}

PsRiskHit *
ps_risk_hit_copy (const PsRiskHit *hit)
{
  g_return_val_if_fail (hit != NULL, NULL);

  PsRiskHit *copy = g_new0 (PsRiskHit, 1);
  copy->rule_id = g_strdup (hit->rule_id);
  copy->kind = hit->kind;
  copy->score = hit->score;
  copy->reason_vi = g_strdup (hit->reason_vi);
  copy->reason_en = g_strdup (hit->reason_en);
  return copy;
}

PsRules *
ps_rules_ref (PsRules *rules)
{
  g_return_val_if_fail (rules != NULL, NULL);
  return g_atomic_rc_box_acquire (rules);
}

static void
rules_clear (PsRules *rules)
{
  g_ptr_array_unref (rules->rules);
}

void
ps_rules_unref (PsRules *rules)
{
  if (rules != NULL)
    g_atomic_rc_box_release_full (rules, (GDestroyNotify) rules_clear);
}

static gboolean
field_error (GError **error, const char *source, const PsStanzaField *field, const char *what)
{
  g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE, "%s:%u: %s", source, field->line, what);
  return FALSE;
}

static gboolean
parse_rule_kind_fields (PsRule *rule, const PsStanza *stanza, const char *source, GError **error)
{
  static const char *const common[] = { "rule", "id", "score", "vi", "en", NULL };
  static const char *const word[] = { "rule", "id", "score", "vi", "en", "match", NULL };
  static const char *const weight[] = { "rule",     "id",        "score",     "vi", "en",
                                        "category", "min-grams", "max-grams", NULL };
  static const char *const watchlist[] = { "rule", "id", "score", "vi", "en", "list", NULL };
  static const char *const repeat[] = { "rule",         "id",          "score",          "vi", "en",
                                        "window-hours", "min-parcels", "min-recipients", NULL };

  switch (rule->kind)
    {
      case PS_RULE_WORD:
        {
          if (!ps_stanza_check_keys (stanza, word, source, error))
            return FALSE;
          const char *match = ps_stanza_require (stanza, "match", source, error);
          if (match == NULL)
            return FALSE;
          rule->match = ps_text_fold (match);
          if (rule->match == NULL || *rule->match == '\0')
            return field_error (error, source, ps_stanza_get (stanza, "match"),
                                _ ("‘match’ needs at least one letter or digit."));
          return TRUE;
        }

      case PS_RULE_WEIGHT:
        {
          guint min_g = 0, max_g = 0;
          if (!ps_stanza_check_keys (stanza, weight, source, error))
            return FALSE;
          const char *category = ps_stanza_require (stanza, "category", source, error);
          if (category == NULL)
            return FALSE;
          if (!ps_category_from_id (category, &rule->category))
            return field_error (error, source, ps_stanza_get (stanza, "category"),
                                _ ("unknown ‘category’ (gift, documents, commercial-sample, "
                                   "returned-goods, sale-of-goods, other)."));
          if (!ps_stanza_get_uint (stanza, "min-grams", 1000000, FALSE, 0, &min_g, source, error) ||
              !ps_stanza_get_uint (stanza, "max-grams", 1000000, FALSE, 0, &max_g, source, error))
            return FALSE;
          rule->has_min = ps_stanza_get (stanza, "min-grams") != NULL;
          rule->has_max = ps_stanza_get (stanza, "max-grams") != NULL;
          rule->min_mg = (gint64) min_g * 1000;
          rule->max_mg = (gint64) max_g * 1000;
          if (!rule->has_min && !rule->has_max)
            {
              g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                           _ ("%s:%u: a weight rule needs ‘min-grams’, ‘max-grams’ or both."),
                           source, stanza->line);
              return FALSE;
            }
          if (rule->has_min && rule->has_max && min_g >= max_g)
            return field_error (error, source, ps_stanza_get (stanza, "max-grams"),
                                _ ("‘max-grams’ must be greater than ‘min-grams’."));
          return TRUE;
        }

      case PS_RULE_WATCHLIST:
        {
          if (!ps_stanza_check_keys (stanza, watchlist, source, error))
            return FALSE;
          const char *list = ps_stanza_require (stanza, "list", source, error);
          if (list == NULL)
            return FALSE;
          if (ps_watch_kind_from_id (list, &rule->list))
            return TRUE;
          return field_error (error, source, ps_stanza_get (stanza, "list"),
                              _ ("‘list’ must be id, phone, name, place or country."));
        }

      case PS_RULE_REPEAT_SENDER:
        if (!ps_stanza_check_keys (stanza, repeat, source, error) ||
            !ps_stanza_get_uint (stanza, "window-hours", 24 * 90, TRUE, 0, &rule->window_hours,
                                 source, error) ||
            !ps_stanza_get_uint (stanza, "min-parcels", 10000, FALSE, 1, &rule->min_parcels, source,
                                 error) ||
            !ps_stanza_get_uint (stanza, "min-recipients", 10000, FALSE, 1, &rule->min_recipients,
                                 source, error))
          return FALSE;
        if (rule->window_hours == 0)
          return field_error (error, source, ps_stanza_get (stanza, "window-hours"),
                              _ ("‘window-hours’ must be at least 1."));
        if (rule->min_parcels < 2 && rule->min_recipients < 2)
          {
            g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                         _ ("%s:%u: a repeat-sender rule needs ‘min-parcels’ or ‘min-recipients’ "
                            "of at least 2."),
                         source, stanza->line);
            return FALSE;
          }
        return TRUE;

      case PS_RULE_MANUAL_WEIGHT:
      case PS_RULE_REFUSED_CONSENT:
        return ps_stanza_check_keys (stanza, common, source, error);
      case PS_RULE_INSPECTION:
        break; /* no rule file names this kind */
    }

  g_assert_not_reached ();
}

static char *
rule_text (const PsStanza *stanza, const char *key, const char *source, GError **error)
{
  const char *value = ps_stanza_require (stanza, key, source, error);
  if (value == NULL)
    return NULL;
  if (g_utf8_strlen (value, -1) > RULE_TEXT_MAX)
    {
      field_error (error, source, ps_stanza_get (stanza, key), _ ("the text is too long."));
      return NULL;
    }
  return g_utf8_normalize (value, -1, G_NORMALIZE_NFC);
}

static PsRule *
find_rule (const PsRules *rules, const char *id)
{
  for (guint i = 0; i < rules->rules->len; i++)
    {
      PsRule *rule = g_ptr_array_index (rules->rules, i);
      if (strcmp (rule->id, id) == 0)
        return rule;
    }
  return NULL;
}

PsRules *
ps_rules_parse (const char *data, gsize len, const char *source, GError **error)
{
  g_autoptr (GPtrArray) stanzas = ps_stanzas_parse (data, len, source, error);
  if (stanzas == NULL)
    return NULL;

  g_autoptr (PsRules) rules = g_atomic_rc_box_new0 (PsRules);
  rules->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_rule_free);
  gboolean has_threshold = FALSE;

  for (guint i = 0; i < stanzas->len; i++)
    {
      const PsStanza *stanza = g_ptr_array_index (stanzas, i);
      const PsStanzaField *threshold = ps_stanza_get (stanza, "threshold");

      if (threshold != NULL)
        {
          static const char *const keys[] = { "threshold", NULL };
          if (!ps_stanza_check_keys (stanza, keys, source, error))
            return NULL;
          if (has_threshold)
            {
              field_error (error, source, threshold, _ ("the threshold is set twice."));
              return NULL;
            }
          if (!ps_stanza_get_uint (stanza, "threshold", 100000, TRUE, 0, &rules->threshold, source,
                                   error))
            return NULL;
          if (rules->threshold == 0)
            {
              field_error (error, source, threshold, _ ("the threshold must be at least 1."));
              return NULL;
            }
          has_threshold = TRUE;
          continue;
        }

      const char *kind = ps_stanza_require (stanza, "rule", source, error);
      if (kind == NULL)
        return NULL;

      g_autoptr (PsRule) rule = g_new0 (PsRule, 1);
      gboolean known = FALSE;
      for (guint k = 0; k < G_N_ELEMENTS (rule_kinds); k++)
        if (strcmp (rule_kinds[k].id, kind) == 0)
          {
            rule->kind = rule_kinds[k].kind;
            known = TRUE;
          }
      if (!known)
        {
          field_error (error, source, ps_stanza_get (stanza, "rule"),
                       _ ("unknown rule kind (word, weight, watchlist, manual-weight, "
                          "refused-consent, repeat-sender)."));
          return NULL;
        }

      if (ps_stanza_require (stanza, "id", source, error) == NULL)
        return NULL;
      const PsStanzaField *id = ps_stanza_get (stanza, "id");
      if (!ps_stanza_check_id (id, source, error))
        return NULL;
      if (find_rule (rules, id->value) != NULL)
        {
          field_error (error, source, id, _ ("this rule id is used twice."));
          return NULL;
        }
      rule->id = g_strdup (id->value);

      if (!ps_stanza_get_uint (stanza, "score", RULE_SCORE_MAX, TRUE, 0, &rule->score, source,
                               error))
        return NULL;
      rule->reason_vi = rule_text (stanza, "vi", source, error);
      if (rule->reason_vi == NULL)
        return NULL;
      rule->reason_en = rule_text (stanza, "en", source, error);
      if (rule->reason_en == NULL)
        return NULL;
      if (!parse_rule_kind_fields (rule, stanza, source, error))
        return NULL;

      if (rule->kind == PS_RULE_REPEAT_SENDER && ps_rules_get_repeat_window_hours (rules) != 0)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                       _ ("%s:%u: there can be only one repeat-sender rule."), source,
                       stanza->line);
          return NULL;
        }
      if (rules->rules->len >= RULES_MAX)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                       _ ("%s:%u: too many rules (at most %u)."), source, stanza->line, RULES_MAX);
          return NULL;
        }
      g_ptr_array_add (rules->rules, g_steal_pointer (&rule));
    }

  if (!has_threshold)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                   _ ("%s: the rules file sets no ‘threshold’."), source);
      return NULL;
    }

  return g_steal_pointer (&rules);
}

guint
ps_rules_get_threshold (const PsRules *rules)
{
  g_return_val_if_fail (rules != NULL, 0);
  return rules->threshold;
}

guint
ps_rules_get_n (const PsRules *rules)
{
  g_return_val_if_fail (rules != NULL, 0);
  return rules->rules->len;
}

guint
ps_rules_get_repeat_window_hours (const PsRules *rules)
{
  g_return_val_if_fail (rules != NULL, 0);

  for (guint i = 0; i < rules->rules->len; i++)
    {
      const PsRule *rule = g_ptr_array_index (rules->rules, i);
      if (rule->kind == PS_RULE_REPEAT_SENDER)
        return rule->window_hours;
    }
  return 0;
}

char *
ps_risk_recipient_key (const char *name, const char *phone)
{
  g_autofree char *folded = ps_text_fold (name != NULL ? name : "");
  g_autofree char *digits = ps_contact_normalize_phone (phone != NULL ? phone : "");
  return g_strdup_printf ("%s|%s", folded != NULL ? folded : "", digits);
}

static gboolean
repeat_sender_fires (const PsRule *rule, const PsRiskInput *input)
{
  if (input->sender_id == NULL || input->history_recipients == NULL)
    return FALSE;

  g_autoptr (GHashTable) distinct = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *current = ps_risk_recipient_key (input->recipient_name, input->recipient_phone);
  guint n_parcels = 1;

  g_hash_table_add (distinct, current);
  for (const char *const *key = input->history_recipients; *key != NULL; key++)
    {
      g_hash_table_add (distinct, (gpointer) *key);
      n_parcels++;
    }

  return n_parcels >= rule->min_parcels && g_hash_table_size (distinct) >= rule->min_recipients;
}

static gboolean
rule_fires (const PsRule *rule, const PsWatchlist *watchlist, const PsRiskInput *input)
{
  switch (rule->kind)
    {
      case PS_RULE_WORD:
        {
          if (!input->has_declaration || input->declaration == NULL)
            return FALSE;
          g_autofree char *folded = ps_text_fold (input->declaration);
          return folded != NULL && ps_text_has_phrase (folded, rule->match);
        }
      case PS_RULE_WEIGHT:
        return input->has_declaration && input->has_weight && input->category == rule->category &&
               ((rule->has_min && input->weight_mg < rule->min_mg) ||
                (rule->has_max && input->weight_mg > rule->max_mg));
      case PS_RULE_WATCHLIST:
        return watchlist != NULL && ps_watchlist_matches (watchlist, rule->list, input);
      case PS_RULE_MANUAL_WEIGHT:
        return input->has_weight && input->weight_manual;
      case PS_RULE_REFUSED_CONSENT:
        return input->consent == PS_ANSWER_NO;
      case PS_RULE_REPEAT_SENDER:
        return repeat_sender_fires (rule, input);
      case PS_RULE_INSPECTION:
        return FALSE; /* from the checklist: ps_rules_add_inspection_hits() */
    }
  g_assert_not_reached ();
}

GPtrArray *
ps_rules_evaluate (const PsRules *rules, const PsWatchlist *watchlist, const PsRiskInput *input)
{
  g_return_val_if_fail (rules != NULL, NULL);
  g_return_val_if_fail (input != NULL, NULL);

  GPtrArray *hits = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_risk_hit_free);
  for (guint i = 0; i < rules->rules->len; i++)
    {
      const PsRule *rule = g_ptr_array_index (rules->rules, i);
      if (!rule_fires (rule, watchlist, input))
        continue;

      PsRiskHit *hit = g_new0 (PsRiskHit, 1);
      hit->rule_id = g_strdup (rule->id);
      hit->kind = rule->kind;
      hit->score = rule->score;
      hit->reason_vi = g_strdup (rule->reason_vi);
      hit->reason_en = g_strdup (rule->reason_en);
      g_ptr_array_add (hits, hit);
    }
  return hits;
}

guint
ps_risk_total (const GPtrArray *hits)
{
  guint total = 0;

  g_return_val_if_fail (hits != NULL, 0);
  for (guint i = 0; i < hits->len; i++)
    total += ((const PsRiskHit *) g_ptr_array_index ((GPtrArray *) hits, i))->score;
  return total;
}

void
ps_rules_add_inspection_hits (const PsRules *rules, const PsChecklist *checklist,
                              const PsAnswer *answers, GPtrArray *hits)
{
  g_return_if_fail (rules != NULL && checklist != NULL && answers != NULL && hits != NULL);

  for (guint i = 0; i < ps_checklist_get_n_items (checklist); i++)
    {
      const PsChecklistItem *item = ps_checklist_get_item (checklist, i);
      /* The consent has its own rule (refused-consent). */
      if (answers[i] == PS_ANSWER_NONE || answers[i] == item->passes ||
          strcmp (item->id, "consent") == 0)
        continue;
      PsRiskHit *hit = g_new0 (PsRiskHit, 1);
      hit->rule_id = g_strdup_printf ("inspection-%s", item->id);
      hit->kind = PS_RULE_INSPECTION;
      /* What the clerk saw is the strongest indicator there is: alone, it
       * reaches the threshold. */
      hit->score = MAX (ps_rules_get_threshold (rules), 1);
      hit->reason_vi = g_strdup_printf ("Kiểm tra không đạt: %s", item->text_vi);
      hit->reason_en = g_strdup_printf ("Inspection failed: %s", item->text_en);
      g_ptr_array_add (hits, hit);
    }
}
