/* ps-enums.h — the core's enumerations as GTypes, and their stable ids.
 *
 * An id ("handed-over", "request_info") is what the database, the exports,
 * the hub's documents and the command line write for a value; it never
 * changes. Each enumeration's ids are written once, as the nicks of its
 * GEnum type (ps-enums.c); what a person reads is the translated label the
 * enumeration's own header offers.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PS_TYPE_STEP                 (ps_step_get_type ())
#define PS_TYPE_DECISION             (ps_decision_get_type ())
#define PS_TYPE_WEIGHT_SOURCE        (ps_weight_source_get_type ())
#define PS_TYPE_MANUAL_WEIGHT_REASON (ps_manual_weight_reason_get_type ())
#define PS_TYPE_SENDER_SOURCE        (ps_sender_source_get_type ())
#define PS_TYPE_ANSWER               (ps_answer_get_type ())
#define PS_TYPE_SEX                  (ps_sex_get_type ())
#define PS_TYPE_CATEGORY             (ps_category_get_type ())
#define PS_TYPE_ROLE                 (ps_role_get_type ())
#define PS_TYPE_SCALE_STATUS         (ps_scale_status_get_type ())
#define PS_TYPE_REPORT_STATUS        (ps_report_status_get_type ())
#define PS_TYPE_CUSTODY_KIND         (ps_custody_kind_get_type ())
#define PS_TYPE_INSTRUCTION_KIND     (ps_instruction_kind_get_type ())
#define PS_TYPE_INSTRUCTION_STATE    (ps_instruction_state_get_type ())

GType ps_step_get_type (void);
GType ps_decision_get_type (void);
GType ps_weight_source_get_type (void);
GType ps_manual_weight_reason_get_type (void);
GType ps_sender_source_get_type (void);
GType ps_answer_get_type (void);
GType ps_sex_get_type (void);
GType ps_category_get_type (void);
GType ps_role_get_type (void);
GType ps_scale_status_get_type (void);
GType ps_report_status_get_type (void);
GType ps_custody_kind_get_type (void);
GType ps_instruction_kind_get_type (void);
GType ps_instruction_state_get_type (void);

/**
 * ps_enum_to_id:
 * @enum_type: a GEnum type
 * Returns: (nullable): the id of @value, or %NULL if @value is none of @enum_type's
 */
const char *ps_enum_to_id (GType enum_type, int value);

/**
 * ps_enum_from_id:
 * @id: (nullable): an id
 * Returns: the value whose id is @id, or -1 if there is none
 */
int ps_enum_from_id (GType enum_type, const char *id);

G_END_DECLS
