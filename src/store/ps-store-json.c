/* ps-store-json.c — a decided parcel as JSON: the report document the
 * forwarder signs and sends, and the export's reports.json, one writer. */
#include "ps-store-json.h"
#include "ps-store-private.h"

char *
ps_time_to_iso (gint64 time_us)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  if (time == NULL)
    return g_strdup ("");
  g_autoptr (GDateTime) exact = g_date_time_add (time, time_us % G_USEC_PER_SEC);
  return g_date_time_format (exact, "%Y-%m-%dT%H:%M:%S.%fZ");
}

static void
member_text (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

static void
member_int (JsonBuilder *builder, const char *name, gint64 value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
member_time (JsonBuilder *builder, const char *name, gint64 time_us)
{
  g_autofree char *iso = time_us > 0 ? ps_time_to_iso (time_us) : NULL;
  member_text (builder, name, iso);
}

static void
add_custody (JsonBuilder *builder, const PsCustodyRecord *event)
{
  json_builder_begin_object (builder);
  member_int (builder, "id", event->id);
  member_text (builder, "kind", ps_custody_kind_to_id (event->kind));
  member_time (builder, "time", event->time_us);
  member_text (builder, "actor", event->actor_login);
  member_text (builder, "note", event->note);
  if (event->officer_name != NULL)
    {
      json_builder_set_member_name (builder, "officer");
      json_builder_begin_object (builder);
      member_text (builder, "name", event->officer_name);
      member_text (builder, "unit", event->officer_unit);
      member_text (builder, "badge", event->officer_badge);
      member_time (builder, "time", event->handover_us);
      json_builder_end_object (builder);
    }
  /* What the event carries out, or the override the police must see. */
  if (event->instruction_id != NULL)
    member_text (builder, "instruction", event->instruction_id);
  if (event->override_reason != NULL)
    member_text (builder, "override", event->override_reason);
  json_builder_end_object (builder);
}

void
ps_parcel_detail_to_json (JsonBuilder *builder, const PsParcelDetail *detail)
{
  json_builder_begin_object (builder);
  member_int (builder, "id", detail->parcel_id);
  member_text (builder, "tracking", detail->tracking);
  member_text (builder, "decision", ps_decision_to_id (detail->decision));
  member_time (builder, "started", detail->started_us);
  member_time (builder, "decided", detail->decided_us);
  member_text (builder, "clerk", detail->clerk_login);
  member_text (builder, "clerk_name", detail->clerk_name);
  member_text (builder, "approved_by", detail->override_login);

  json_builder_set_member_name (builder, "sender");
  json_builder_begin_object (builder);
  member_text (builder, "source", detail->sender_source);
  member_text (builder, "id_number", detail->sender_id);
  member_text (builder, "name", detail->sender_name);
  member_text (builder, "address", detail->sender_address);
  member_text (builder, "phone", detail->sender_phone);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "recipient");
  json_builder_begin_object (builder);
  member_text (builder, "name", detail->recipient_name);
  member_text (builder, "address", detail->recipient_address);
  member_text (builder, "phone", detail->recipient_phone);
  member_text (builder, "country", detail->destination_country);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "weight");
  json_builder_begin_object (builder);
  if (detail->has_weight)
    member_int (builder, "milligrams", detail->weight_mg);
  member_text (builder, "source", detail->weight_source);
  member_text (builder, "manual_reason", detail->manual_weight_reason);
  member_text (builder, "manual_note", detail->manual_weight_note);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "declaration");
  json_builder_begin_object (builder);
  member_text (builder, "category", detail->category);
  member_text (builder, "description", detail->description);
  member_int (builder, "quantity", detail->quantity);
  member_int (builder, "value_vnd", detail->value_vnd);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "inspection");
  json_builder_begin_array (builder);
  for (guint i = 0; i < detail->answers->len; i++)
    {
      const PsAnswerRecord *answer = g_ptr_array_index (detail->answers, i);
      json_builder_begin_object (builder);
      member_text (builder, "item", answer->item_id);
      member_text (builder, "text_vi", answer->text_vi);
      member_text (builder, "text_en", answer->text_en);
      member_text (builder, "answer", ps_answer_to_id (answer->answer));
      member_text (builder, "passes", ps_answer_to_id (answer->passes));
      member_time (builder, "answered", answer->answered_us);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "risk");
  json_builder_begin_object (builder);
  member_int (builder, "score", detail->risk_score);
  member_int (builder, "threshold", detail->risk_threshold);
  json_builder_set_member_name (builder, "reasons");
  json_builder_begin_array (builder);
  for (guint i = 0; i < detail->hits->len; i++)
    {
      const PsRiskHit *hit = g_ptr_array_index (detail->hits, i);
      json_builder_begin_object (builder);
      member_text (builder, "rule", hit->rule_id);
      member_int (builder, "score", hit->score);
      member_text (builder, "reason_vi", hit->reason_vi);
      member_text (builder, "reason_en", hit->reason_en);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  member_text (builder, "refuse_reason", detail->refuse_reason);
  json_builder_set_member_name (builder, "hold_reasons");
  json_builder_begin_array (builder);
  if (detail->hold_reasons != NULL)
    {
      g_auto (GStrv) reasons = g_strsplit (detail->hold_reasons, ",", -1);
      for (guint i = 0; reasons[i] != NULL; i++)
        if (*reasons[i] != '\0')
          json_builder_add_string_value (builder, reasons[i]);
    }
  json_builder_end_array (builder);
  member_text (builder, "note", detail->decision_note);
  json_builder_end_object (builder);
}

char *
ps_store_outbox_document (PsStore *store, const PsOutboxRow *row, const PsCounterIdentity *counter,
                          GError **error)
{
  g_return_val_if_fail (store != NULL && row != NULL && counter != NULL, NULL);

  gint64 parcel_id = ps_store_report_parcel (store, row->report_id, error);
  if (parcel_id <= 0)
    return NULL;
  g_autoptr (PsParcelDetail) detail = ps_store_get_parcel (store, parcel_id, error);
  if (detail == NULL)
    return NULL;
  gint64 seq;
  g_autofree char *head = NULL;
  if (!ps_store_audit_head (store, &seq, &head, error))
    return NULL;

  g_autoptr (JsonBuilder) builder = json_builder_new ();
  json_builder_begin_object (builder);
  member_text (builder, "schema", PS_OUTBOX_SCHEMA);
  member_text (builder, "kind", row->kind);
  member_text (builder, "idempotency_key", row->key);
  if (ps_store_is_simulation (store))
    {
      /* Made up by parcelscreenctl simulate: a receiver must never take it
       * for a real report. */
      json_builder_set_member_name (builder, "simulation");
      json_builder_add_boolean_value (builder, TRUE);
    }

  json_builder_set_member_name (builder, "counter");
  json_builder_begin_object (builder);
  member_text (builder, "office", counter->office_code);
  member_text (builder, "counter", counter->counter_id);
  member_text (builder, "public_key", counter->public_key);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "audit_head");
  json_builder_begin_object (builder);
  member_int (builder, "seq", seq);
  member_text (builder, "hash", head);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "report");
  json_builder_begin_object (builder);
  member_int (builder, "id", detail->report_id);
  member_text (builder, "status", ps_report_status_to_id (detail->report_status));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "parcel");
  ps_parcel_detail_to_json (builder, detail);

  json_builder_set_member_name (builder, "event");
  const PsCustodyRecord *event = NULL;
  for (guint i = 0; i < detail->custody->len; i++)
    {
      const PsCustodyRecord *candidate = g_ptr_array_index (detail->custody, i);
      if (candidate->id == row->custody_event_id)
        event = candidate;
    }
  if (event != NULL)
    add_custody (builder, event);
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "custody");
  json_builder_begin_array (builder);
  for (guint i = 0; i < detail->custody->len; i++)
    add_custody (builder, g_ptr_array_index (detail->custody, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
