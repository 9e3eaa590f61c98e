/* ps-parcel-text.c — a decided parcel as the supervisor and history screens show it. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "parcelscreen/ps-weight.h"
#include "ps-pages.h"
#include "ps-parcel-text.h"

static const char *
custody_label (PsCustodyKind kind)
{
  switch (kind)
    {
      case PS_CUSTODY_CREATED:
        return _ ("Report created");
      case PS_CUSTODY_ASSESSMENT:
        return _ ("Assessment");
      case PS_CUSTODY_HANDOVER:
        return _ ("Handed over to the police");
      case PS_CUSTODY_RELEASE:
        return _ ("Released");
      case PS_CUSTODY_CLOSE:
        return _ ("Closed");
    }
  return "?";
}

static const char *
answer_label (PsAnswer answer)
{
  return answer == PS_ANSWER_YES ? _ ("yes") : answer == PS_ANSWER_NO ? _ ("no") : "—";
}

/* Appends "<b>caption</b> value" with the value escaped; nothing for an empty value. */
static void
line (GString *text, const char *caption, const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  g_autofree char *escaped = g_markup_escape_text (value, -1);
  g_string_append_printf (text, "<b>%s</b> %s\n", caption, escaped);
}

static void
heading (GString *text, const char *title)
{
  g_string_append_printf (text, "\n<big><b>%s</b></big>\n", title);
}

char *
ps_parcel_detail_describe (const PsParcelDetail *detail, const PsReasons *reasons,
                           gboolean with_report)
{
  GString *text = g_string_new (NULL);
  const char *language = ps_current_language ();
  g_autofree char *decided = ps_page_format_time (detail->decided_us);
  g_autofree char *tracking = g_markup_escape_text (detail->tracking, -1);

  g_string_append_printf (text, "<span size='x-large' weight='bold'>%s</span>\n", tracking);
  line (text, _ ("Decision:"), ps_decision_label (detail->decision));
  line (text, _ ("Time:"), decided);
  g_autofree char *clerk = g_strdup_printf ("%s (%s)", detail->clerk_name, detail->clerk_login);
  line (text, _ ("Clerk:"), clerk);
  line (text, _ ("Approved by supervisor:"), detail->override_login);
  gboolean vietnamese = g_str_has_prefix (language, "vi");
  if (detail->refuse_reason != NULL)
    {
      g_autofree char *refusal =
          reasons != NULL
              ? ps_reasons_describe (reasons, PS_REASON_REFUSE, detail->refuse_reason, vietnamese)
              : g_strdup (detail->refuse_reason);
      line (text, _ ("Refusal reason:"), refusal);
    }
  g_autofree char *held_for =
      reasons != NULL && detail->hold_reasons != NULL
          ? ps_reasons_describe (reasons, PS_REASON_HOLD, detail->hold_reasons, vietnamese)
          : g_strdup (detail->hold_reasons);
  line (text, _ ("Hold reasons:"), held_for);
  line (text, _ ("Note:"), detail->decision_note);
  if (detail->purged)
    g_string_append_printf (text, "<i>%s</i>\n",
                            _ ("Personal data erased under the retention policy."));

  heading (text, _ ("Sender and recipient"));
  line (text, _ ("Sender:"), detail->sender_name);
  line (text, _ ("ID number:"), detail->sender_id);
  line (text, _ ("Address:"), detail->sender_address);
  line (text, _ ("Phone:"), detail->sender_phone);
  line (text, _ ("Recipient:"), detail->recipient_name);
  line (text, _ ("Address:"), detail->recipient_address);
  line (text, _ ("Phone:"), detail->recipient_phone);
  line (text, _ ("Country:"), detail->destination_country);

  heading (text, _ ("Weight and declaration"));
  if (detail->has_weight)
    {
      g_autofree char *weight = ps_weight_format (detail->weight_mg);
      /* The reason in the clerk's words; an id this version does not know
       * (a newer one wrote it) as it is stored. */
      PsManualWeightReason reason;
      const char *why = detail->manual_weight_reason;
      if (why != NULL && ps_manual_weight_reason_from_id (why, &reason))
        why = ps_manual_weight_reason_label (reason);
      g_autofree char *source = why != NULL ? g_strdup_printf (_ ("%s, typed (%s)"), weight, why)
                                            : g_strdup_printf (_ ("%s, from the scale"), weight);
      line (text, _ ("Weight:"), source);
    }
  PsCategory category;
  if (detail->category != NULL && ps_category_from_id (detail->category, &category))
    line (text, _ ("Category:"), ps_category_label (category));
  line (text, _ ("Contents:"), detail->description);
  if (detail->quantity > 0)
    {
      g_autofree char *amount = g_strdup_printf (_ ("%u item(s), %lld ₫"), detail->quantity,
                                                 (long long) detail->value_vnd);
      line (text, _ ("Quantity and value:"), amount);
    }

  heading (text, _ ("Inspection"));
  for (guint i = 0; i < detail->answers->len; i++)
    {
      const PsAnswerRecord *answer = g_ptr_array_index (detail->answers, i);
      g_autofree char *question =
          g_markup_escape_text (ps_pick_language (language, answer->text_vi, answer->text_en), -1);
      gboolean failed = answer->answer != answer->passes;
      g_string_append_printf (text, "%s %s: <b>%s</b>\n", failed ? "✘" : "✔", question,
                              answer_label (answer->answer));
    }

  heading (text, _ ("Risk"));
  g_string_append_printf (text, _ ("Score %u of %u\n"), detail->risk_score, detail->risk_threshold);
  for (guint i = 0; i < detail->hits->len; i++)
    {
      const PsRiskHit *hit = g_ptr_array_index (detail->hits, i);
      g_autofree char *reason =
          g_markup_escape_text (ps_pick_language (language, hit->reason_vi, hit->reason_en), -1);
      g_string_append_printf (text, "• %s (+%u)\n", reason, hit->score);
    }

  if (with_report && detail->report_id != 0)
    {
      heading (text, _ ("Report to the police"));
      line (text, _ ("Status:"), ps_report_status_label (detail->report_status));
      g_autofree char *waiting =
          detail->outbox_pending == 0
              ? g_strdup (_ ("every message acknowledged"))
              : g_strdup_printf (_ ("%u message(s) waiting"), detail->outbox_pending);
      line (text, _ ("Forwarding:"), waiting);
      for (guint i = 0; i < detail->custody->len; i++)
        {
          const PsCustodyRecord *event = g_ptr_array_index (detail->custody, i);
          g_autofree char *when = ps_page_format_time (event->time_us);
          g_autofree char *who = g_markup_escape_text (event->actor_login, -1);
          g_string_append_printf (text, "• %s — <b>%s</b> (%s)\n", when,
                                  custody_label (event->kind), who);
          if (event->officer_name != NULL)
            {
              g_autofree char *handed = ps_page_format_time (event->handover_us);
              g_autofree char *officer =
                  g_strdup_printf (_ ("officer %s, %s, badge %s, at %s"), event->officer_name,
                                   event->officer_unit, event->officer_badge, handed);
              g_autofree char *escaped = g_markup_escape_text (officer, -1);
              g_string_append_printf (text, "   %s\n", escaped);
            }
          if (event->note != NULL && *event->note != '\0')
            {
              g_autofree char *note = g_markup_escape_text (event->note, -1);
              g_string_append_printf (text, "   <i>%s</i>\n", note);
            }
        }
    }

  if (detail->corrections->len > 0)
    {
      heading (text, _ ("Corrections"));
      for (guint i = 0; i < detail->corrections->len; i++)
        {
          const PsCorrectionRecord *correction = g_ptr_array_index (detail->corrections, i);
          g_autofree char *when = ps_page_format_time (correction->time_us);
          g_autofree char *who = g_markup_escape_text (correction->actor_login, -1);
          g_autofree char *note = g_markup_escape_text (correction->note, -1);
          g_string_append_printf (text, "• %s (%s): %s\n", when, who, note);
        }
    }
  return g_string_free (text, FALSE);
}
