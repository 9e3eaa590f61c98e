/* ps-simulator.c — varied, valid acceptances through the real core and store.
 *
 * Everything a clerk would type or scan is generated: S10 numbers with
 * correct check digits, CCCD payloads whose numbers agree with the dates of
 * birth, Vietnamese names and addresses, plausible weights per category.
 * Some declarations carry words the risk rules watch, some parcels are held
 * or refused, high-risk accepts are approved by the simulated supervisor.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "parcelscreen/parcelscreen.h"
#include "ps-simulator.h"

#define SIM_PIN "739146"

struct _PsSimulator
{
  PsStore *store;
  PsChecklist *checklist;
  PsRules *rules;
  PsReasons *reasons;
  GRand *rand;
  double hold_rate;
  PsSession *clerk;
  PsActor *supervisor;
};

static const char *const surnames[] = { "Nguyễn", "Trần", "Lê",   "Phạm", "Hoàng", "Huỳnh", "Phan",
                                        "Vũ",     "Võ",   "Đặng", "Bùi",  "Đỗ",    "Hồ",    "Ngô" };
static const char *const middles[] = { "Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Quang", "Ngọc" };
static const char *const givens[] = { "An",  "Bình", "Châu", "Dũng",  "Giang", "Hà",  "Hải",
                                      "Hoa", "Hùng", "Lan",  "Long",  "Mai",   "Nam", "Phương",
                                      "Sơn", "Tâm",  "Thảo", "Trang", "Tuấn",  "Yến" };
static const char *const streets[] = { "Lê Lợi",       "Trần Hưng Đạo",  "Nguyễn Huệ",
                                       "Hai Bà Trưng", "Lý Thường Kiệt", "Bà Triệu",
                                       "Quang Trung" };
static const char *const cities[] = { "Hà Nội",  "TP. Hồ Chí Minh", "Đà Nẵng",
                                      "Huế",     "Lạng Sơn",        "Hải Phòng",
                                      "Cần Thơ", "Nghệ An",         "Lào Cai" };
static const guint province_codes[] = { 1, 20, 31, 46, 48, 79, 92, 40, 10 };

typedef struct
{
  PsCategory category;
  const char *description;
  gint64 min_g, max_g;
} PsSimContent;

static const PsSimContent contents[] = {
  { PS_CATEGORY_DOCUMENTS, "Hồ sơ, giấy tờ", 50, 1500 },
  { PS_CATEGORY_GIFT, "Quần áo trẻ em", 300, 3000 },
  { PS_CATEGORY_GIFT, "Sách và truyện tranh", 400, 5000 },
  { PS_CATEGORY_GIFT, "Bánh kẹo, đặc sản", 500, 4000 },
  { PS_CATEGORY_SALE_OF_GOODS, "Điện thoại cũ", 200, 900 },
  { PS_CATEGORY_SALE_OF_GOODS, "Giày dép", 600, 2500 },
  { PS_CATEGORY_COMMERCIAL_SAMPLE, "Vải mẫu", 100, 2000 },
  { PS_CATEGORY_RETURNED_GOODS, "Túi xách đổi trả", 300, 1500 },
  /* Declarations the risk rules ask a closer look at. */
  { PS_CATEGORY_GIFT, "Trà khô Thái Nguyên", 200, 2000 },
  { PS_CATEGORY_OTHER, "Thuốc bắc", 300, 3000 },
  { PS_CATEGORY_SALE_OF_GOODS, "Thực phẩm chức năng", 200, 1500 },
};

static const char *
pick (PsSimulator *simulator, const char *const *list, guint n)
{
  return list[g_rand_int_range (simulator->rand, 0, (gint32) n)];
}

#define PICK(simulator, list) pick (simulator, list, G_N_ELEMENTS (list))

void
ps_simulator_free (PsSimulator *simulator)
{
  if (simulator == NULL)
    return;
  ps_session_free (simulator->clerk);
  ps_actor_free (simulator->supervisor);
  ps_checklist_unref (simulator->checklist);
  ps_rules_unref (simulator->rules);
  ps_reasons_unref (simulator->reasons);
  g_rand_free (simulator->rand);
  g_free (simulator);
}

static gboolean
has_login (GPtrArray *users, const char *login)
{
  for (guint i = 0; i < users->len; i++)
    if (g_strcmp0 (((PsUserInfo *) g_ptr_array_index (users, i))->login, login) == 0)
      return TRUE;
  return FALSE;
}

/* The simulator's three users. Each is added on its own, so that a run
 * killed between two of them is completed by the next; a PIN is hashed only
 * for a user that is missing. */
static gboolean
ensure_users (PsStore *store, gint64 now_us, GError **error)
{
  g_autoptr (GPtrArray) users = ps_store_list_users (store, error);
  if (users == NULL)
    return FALSE;
  gboolean clerk = has_login (users, "sim-clerk");
  gboolean supervisor = has_login (users, "sim-supervisor");
  if (clerk && supervisor)
    return TRUE;
  if (users->len == 0 && ps_store_add_user (store, NULL, "sim-admin", "Quản trị mô phỏng",
                                            PS_ROLE_ADMIN, SIM_PIN, now_us, error) == 0)
    return FALSE;

  PsLockoutPolicy policy = { 5, 60 * G_USEC_PER_SEC };
  g_autoptr (PsActor) admin =
      ps_store_authenticate (store, "sim-admin", SIM_PIN, &policy, now_us, error);
  if (admin == NULL)
    {
      g_prefix_error (error, _ ("The simulator needs a new database or one it made: "));
      return FALSE;
    }
  return (clerk || ps_store_add_user (store, admin, "sim-clerk", "Giao dịch viên mô phỏng",
                                      PS_ROLE_CLERK, SIM_PIN, now_us, error) != 0) &&
         (supervisor || ps_store_add_user (store, admin, "sim-supervisor", "Giám sát viên mô phỏng",
                                           PS_ROLE_SUPERVISOR, SIM_PIN, now_us, error) != 0);
}

PsSimulator *
ps_simulator_new (PsStore *store, PsChecklist *checklist, PsRules *rules, PsReasons *reasons,
                  guint32 seed, double hold_rate, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);

  gint64 now_us = g_get_real_time ();
  PsLockoutPolicy policy = { 5, 60 * G_USEC_PER_SEC };

  if (!ensure_users (store, now_us, error))
    return NULL;

  g_autoptr (PsSimulator) simulator = g_new0 (PsSimulator, 1);
  simulator->store = store;
  simulator->checklist = ps_checklist_ref (checklist);
  simulator->rules = ps_rules_ref (rules);
  simulator->reasons = ps_reasons_ref (reasons);
  simulator->rand = g_rand_new_with_seed (seed);
  simulator->hold_rate = CLAMP (hold_rate, 0.0, 1.0);
  simulator->clerk = ps_store_login (store, "sim-clerk", SIM_PIN, &policy, now_us, error);
  if (simulator->clerk == NULL)
    {
      g_prefix_error (error, _ ("The simulator needs a new database or one it made: "));
      return NULL;
    }
  simulator->supervisor = ps_store_authorize (store, "sim-supervisor", SIM_PIN, PS_ROLE_SUPERVISOR,
                                              &policy, now_us, error);
  if (simulator->supervisor == NULL)
    return NULL;
  return g_steal_pointer (&simulator);
}

static char *
random_tracking (PsSimulator *simulator)
{
  static const char *const services[] = { "EE", "CP", "RR", "LA", "EB", "CC" };
  char serial[9];

  for (guint i = 0; i < 8; i++)
    serial[i] = (char) ('0' + g_rand_int_range (simulator->rand, 0, 10));
  serial[8] = '\0';
  return g_strdup_printf ("%s%s%u%s", PICK (simulator, services), serial,
                          ps_s10_compute_check_digit (serial),
                          g_rand_int_range (simulator->rand, 0, 10) < 8 ? "VN" : "US");
}

static char *
random_name (PsSimulator *simulator)
{
  return g_strdup_printf ("%s %s %s", PICK (simulator, surnames), PICK (simulator, middles),
                          PICK (simulator, givens));
}

static char *
random_address (PsSimulator *simulator)
{
  return g_strdup_printf ("Số %d %s, %s", g_rand_int_range (simulator->rand, 1, 300),
                          PICK (simulator, streets), PICK (simulator, cities));
}

static char *
random_phone (PsSimulator *simulator)
{
  return g_strdup_printf ("09%08d", g_rand_int_range (simulator->rand, 0, 100000000));
}

static char *
random_cccd_payload (PsSimulator *simulator)
{
  guint year = (guint) g_rand_int_range (simulator->rand, 1950, 2006);
  guint month = (guint) g_rand_int_range (simulator->rand, 1, 13);
  guint day = (guint) g_rand_int_range (simulator->rand, 1, 29);
  gboolean female = g_rand_boolean (simulator->rand);
  guint century_sex = (year - 1900) / 100 * 2 + (female ? 1 : 0);
  g_autofree char *name = random_name (simulator);
  g_autofree char *address = random_address (simulator);

  return g_strdup_printf (
      "%03u%u%02u%06d||%s|%02u%02u%04u|%s|%s|%02u%02u%04u",
      province_codes[g_rand_int_range (simulator->rand, 0, G_N_ELEMENTS (province_codes))],
      century_sex, year % 100, g_rand_int_range (simulator->rand, 0, 1000000), name, day, month,
      year, female ? "Nữ" : "Nam", address, day, month, MAX (year + 18, 2016));
}

/* Everything up to the inspection. */
static gboolean
fill (PsSimulator *simulator, PsAcceptance *acceptance, gint64 *now_us, GError **error)
{
  /* A tracking number not yet decided here (random serials meet at scale). */
  g_autofree char *code = NULL;
  gint64 decided = 1;
  while (decided > 0)
    {
      g_free (code);
      code = random_tracking (simulator);
      decided = ps_store_find_decided (simulator->store, code, error);
      if (decided < 0)
        return FALSE;
    }
  g_autoptr (PsTracking) tracking = ps_tracking_parse (code, -1, NULL, error);
  if (tracking == NULL ||
      !ps_acceptance_set_tracking (acceptance, tracking, *now_us += 2000000, error))
    return FALSE;

  g_autofree char *payload = random_cccd_payload (simulator);
  g_autoptr (PsCccd) cccd = ps_cccd_parse (payload, -1, NULL, error);
  g_autofree char *sender_phone = random_phone (simulator);
  if (cccd == NULL ||
      !ps_acceptance_set_sender_cccd (acceptance, cccd, sender_phone, *now_us += 5000000, error))
    return FALSE;

  g_autofree char *name = random_name (simulator);
  g_autofree char *address = random_address (simulator);
  g_autofree char *phone = random_phone (simulator);
  if (!ps_acceptance_set_recipient (acceptance, name, address, phone, "VN", *now_us += 20000000,
                                    error))
    return FALSE;

  const PsSimContent *content =
      &contents[g_rand_int_range (simulator->rand, 0, G_N_ELEMENTS (contents))];
  gint64 grams =
      g_rand_int_range (simulator->rand, (gint32) content->min_g, (gint32) content->max_g + 1);
  gboolean manual = g_rand_int_range (simulator->rand, 0, 50) == 0;
  if (manual
          ? !ps_acceptance_set_manual_weight (acceptance, grams * 1000,
                                              PS_MANUAL_WEIGHT_SCALE_FAULT, NULL,
                                              *now_us += 3000000, error)
          : !ps_acceptance_set_stable_weight (acceptance, grams * 1000, *now_us += 3000000, error))
    return FALSE;

  return ps_acceptance_set_declaration (acceptance, content->category, content->description,
                                        (guint) g_rand_int_range (simulator->rand, 1, 6),
                                        g_rand_int_range (simulator->rand, 0, 200) * 10000,
                                        *now_us += 15000000, error);
}

PsDecision
ps_simulator_run_one (PsSimulator *simulator, gint64 now_us, char **tracking, GError **error)
{
  g_return_val_if_fail (simulator != NULL, PS_DECISION_NONE);

  g_autoptr (PsAcceptance) acceptance =
      ps_acceptance_new (simulator->checklist, simulator->rules, simulator->reasons, NULL,
                         simulator->clerk->actor, now_us);
  if (!fill (simulator, acceptance, &now_us, error))
    return PS_DECISION_NONE;

  double roll = g_rand_double (simulator->rand);
  gboolean hold = roll < simulator->hold_rate;
  gboolean refuse = !hold && roll < simulator->hold_rate + 0.03;
  guint n_items = ps_checklist_get_n_items (simulator->checklist);

  for (guint i = 0; i < n_items; i++)
    {
      const PsChecklistItem *item = ps_checklist_get_item (simulator->checklist, i);
      PsAnswer answer = item->passes;
      if ((hold && item->on_fail == PS_FAIL_HOLD && i == n_items - 2) ||
          (refuse && g_strcmp0 (item->id, "consent") == 0))
        answer = item->passes == PS_ANSWER_YES ? PS_ANSWER_NO : PS_ANSWER_YES;
      if (!ps_acceptance_answer (acceptance, item->id, answer, now_us += 4000000, error))
        return PS_DECISION_NONE;
    }

  now_us += 5000000;
  gboolean decided;
  if (hold)
    {
      const char *reasons[] = { g_rand_boolean (simulator->rand) ? "concealment"
                                                                 : "suspected-drugs",
                                NULL };
      decided = ps_acceptance_hold (acceptance, reasons, "Hộp có ngăn bí mật chứa bột trắng",
                                    now_us, error);
    }
  else if (refuse)
    decided = ps_acceptance_refuse (acceptance, "consent-refused", NULL, now_us, error);
  else
    decided = ps_acceptance_accept (
        acceptance, ps_acceptance_needs_override (acceptance) ? simulator->supervisor : NULL,
        now_us, error);
  if (!decided)
    return PS_DECISION_NONE;

  if (ps_store_record_decision (simulator->store, simulator->clerk, acceptance, error) == 0)
    return PS_DECISION_NONE;

  const PsAcceptanceRecord *record = ps_acceptance_get_record (acceptance);
  if (tracking != NULL)
    *tracking = g_strdup (record->tracking->code);
  return record->decision;
}
