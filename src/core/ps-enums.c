/* ps-enums.c — the core's enumerations as GEnum types: the one place where
 * each value's stable id is written. */
#include "ps-core-private.h"

G_DEFINE_ENUM_TYPE (PsStep, ps_step, G_DEFINE_ENUM_VALUE (PS_STEP_ITEM, "item"),
                    G_DEFINE_ENUM_VALUE (PS_STEP_SENDER, "sender"),
                    G_DEFINE_ENUM_VALUE (PS_STEP_RECIPIENT, "recipient"),
                    G_DEFINE_ENUM_VALUE (PS_STEP_WEIGHT, "weight"),
                    G_DEFINE_ENUM_VALUE (PS_STEP_DECLARATION, "declaration"),
                    G_DEFINE_ENUM_VALUE (PS_STEP_INSPECTION, "inspection"),
                    G_DEFINE_ENUM_VALUE (PS_STEP_DECISION, "decision"),
                    G_DEFINE_ENUM_VALUE (PS_STEP_DONE, "done"))

G_DEFINE_ENUM_TYPE (PsDecision, ps_decision, G_DEFINE_ENUM_VALUE (PS_DECISION_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (PS_DECISION_ACCEPTED, "accepted"),
                    G_DEFINE_ENUM_VALUE (PS_DECISION_REFUSED, "refused"),
                    G_DEFINE_ENUM_VALUE (PS_DECISION_HELD, "held"))

G_DEFINE_ENUM_TYPE (PsWeightSource, ps_weight_source,
                    G_DEFINE_ENUM_VALUE (PS_WEIGHT_SOURCE_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (PS_WEIGHT_SOURCE_SCALE, "scale"),
                    G_DEFINE_ENUM_VALUE (PS_WEIGHT_SOURCE_MANUAL, "manual"))

G_DEFINE_ENUM_TYPE (PsManualWeightReason, ps_manual_weight_reason,
                    G_DEFINE_ENUM_VALUE (PS_MANUAL_WEIGHT_NO_SCALE, "no-scale"),
                    G_DEFINE_ENUM_VALUE (PS_MANUAL_WEIGHT_SCALE_FAULT, "scale-fault"),
                    G_DEFINE_ENUM_VALUE (PS_MANUAL_WEIGHT_OVER_CAPACITY, "over-capacity"),
                    G_DEFINE_ENUM_VALUE (PS_MANUAL_WEIGHT_OTHER, "other"))

G_DEFINE_ENUM_TYPE (PsSenderSource, ps_sender_source,
                    G_DEFINE_ENUM_VALUE (PS_SENDER_FROM_CCCD_SCAN, "cccd-scan"),
                    G_DEFINE_ENUM_VALUE (PS_SENDER_TYPED, "typed"))

G_DEFINE_ENUM_TYPE (PsAnswer, ps_answer, G_DEFINE_ENUM_VALUE (PS_ANSWER_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (PS_ANSWER_YES, "yes"),
                    G_DEFINE_ENUM_VALUE (PS_ANSWER_NO, "no"))

G_DEFINE_ENUM_TYPE (PsSex, ps_sex, G_DEFINE_ENUM_VALUE (PS_SEX_UNKNOWN, "unknown"),
                    G_DEFINE_ENUM_VALUE (PS_SEX_MALE, "male"),
                    G_DEFINE_ENUM_VALUE (PS_SEX_FEMALE, "female"))

G_DEFINE_ENUM_TYPE (PsCategory, ps_category, G_DEFINE_ENUM_VALUE (PS_CATEGORY_GIFT, "gift"),
                    G_DEFINE_ENUM_VALUE (PS_CATEGORY_DOCUMENTS, "documents"),
                    G_DEFINE_ENUM_VALUE (PS_CATEGORY_COMMERCIAL_SAMPLE, "commercial-sample"),
                    G_DEFINE_ENUM_VALUE (PS_CATEGORY_RETURNED_GOODS, "returned-goods"),
                    G_DEFINE_ENUM_VALUE (PS_CATEGORY_SALE_OF_GOODS, "sale-of-goods"),
                    G_DEFINE_ENUM_VALUE (PS_CATEGORY_OTHER, "other"))

G_DEFINE_ENUM_TYPE (PsRole, ps_role, G_DEFINE_ENUM_VALUE (PS_ROLE_CLERK, "clerk"),
                    G_DEFINE_ENUM_VALUE (PS_ROLE_SUPERVISOR, "supervisor"),
                    G_DEFINE_ENUM_VALUE (PS_ROLE_ADMIN, "admin"),
                    G_DEFINE_ENUM_VALUE (PS_ROLE_SYSTEM, "system"))

G_DEFINE_ENUM_TYPE (PsScaleStatus, ps_scale_status, G_DEFINE_ENUM_VALUE (PS_SCALE_FAULT, "fault"),
                    G_DEFINE_ENUM_VALUE (PS_SCALE_ZERO, "zero"),
                    G_DEFINE_ENUM_VALUE (PS_SCALE_MOTION, "motion"),
                    G_DEFINE_ENUM_VALUE (PS_SCALE_STABLE, "stable"),
                    G_DEFINE_ENUM_VALUE (PS_SCALE_UNDER_ZERO, "under-zero"),
                    G_DEFINE_ENUM_VALUE (PS_SCALE_OVERLOAD, "overload"),
                    G_DEFINE_ENUM_VALUE (PS_SCALE_CALIBRATE, "calibrate"),
                    G_DEFINE_ENUM_VALUE (PS_SCALE_REZERO, "rezero"))

G_DEFINE_ENUM_TYPE (PsReportStatus, ps_report_status, G_DEFINE_ENUM_VALUE (PS_REPORT_OPEN, "open"),
                    G_DEFINE_ENUM_VALUE (PS_REPORT_ASSESSED, "assessed"),
                    G_DEFINE_ENUM_VALUE (PS_REPORT_HANDED_OVER, "handed-over"),
                    G_DEFINE_ENUM_VALUE (PS_REPORT_RELEASED, "released"),
                    G_DEFINE_ENUM_VALUE (PS_REPORT_CLOSED, "closed"))

G_DEFINE_ENUM_TYPE (PsCustodyKind, ps_custody_kind,
                    G_DEFINE_ENUM_VALUE (PS_CUSTODY_CREATED, "created"),
                    G_DEFINE_ENUM_VALUE (PS_CUSTODY_ASSESSMENT, "assessment"),
                    G_DEFINE_ENUM_VALUE (PS_CUSTODY_HANDOVER, "handover"),
                    G_DEFINE_ENUM_VALUE (PS_CUSTODY_RELEASE, "release"),
                    G_DEFINE_ENUM_VALUE (PS_CUSTODY_CLOSE, "close"))

G_DEFINE_ENUM_TYPE (PsInstructionKind, ps_instruction_kind,
                    G_DEFINE_ENUM_VALUE (PS_INSTRUCTION_RECEIVED, "received"),
                    G_DEFINE_ENUM_VALUE (PS_INSTRUCTION_REQUEST_INFO, "request_info"),
                    G_DEFINE_ENUM_VALUE (PS_INSTRUCTION_KEEP_HOLDING, "keep_holding"),
                    G_DEFINE_ENUM_VALUE (PS_INSTRUCTION_RELEASE, "release"),
                    G_DEFINE_ENUM_VALUE (PS_INSTRUCTION_SEIZE, "seize"),
                    G_DEFINE_ENUM_VALUE (PS_INSTRUCTION_CLOSE_CASE, "close_case"),
                    G_DEFINE_ENUM_VALUE (PS_INSTRUCTION_WATCHLIST, "watchlist"),
                    G_DEFINE_ENUM_VALUE (PS_INSTRUCTION_CANCEL, "cancel"))

G_DEFINE_ENUM_TYPE (PsInstructionState, ps_instruction_state,
                    G_DEFINE_ENUM_VALUE (PS_INSTRUCTION_OPEN, "open"),
                    G_DEFINE_ENUM_VALUE (PS_INSTRUCTION_DONE, "done"),
                    G_DEFINE_ENUM_VALUE (PS_INSTRUCTION_CANCELLED, "cancelled"))

/* The class of @enum_type, kept for the life of the program (a type's
 * class is never freed once made). */
static GEnumClass *
enum_class (GType enum_type)
{
  GEnumClass *klass = g_type_class_peek (enum_type);
  return klass != NULL ? klass : g_type_class_ref (enum_type);
}

const char *
ps_enum_to_id (GType enum_type, int value)
{
  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), NULL);
  GEnumValue *found = g_enum_get_value (enum_class (enum_type), value);
  return found != NULL ? found->value_nick : NULL;
}

int
ps_enum_from_id (GType enum_type, const char *id)
{
  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), -1);
  if (id == NULL)
    return -1;
  GEnumValue *found = g_enum_get_value_by_nick (enum_class (enum_type), id);
  return found != NULL ? found->value : -1;
}
