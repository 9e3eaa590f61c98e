/* ps-store-json.h — a decided parcel as JSON, the same in the forwarded
 * documents and in the nightly export. */
#pragma once

#include <json-glib/json-glib.h>

#include "ps-store.h"

G_BEGIN_DECLS

/* Adds @detail as one JSON object (the current member or array element). */
void ps_parcel_detail_to_json (JsonBuilder *builder, const PsParcelDetail *detail);

G_END_DECLS
