/* parcelscreen.h — the whole domain core. */
#pragma once

#include "ps-acceptance.h"
#include "ps-actor.h"
#include "ps-cccd.h"
#include "ps-checklist.h"
#include "ps-country.h"
#include "ps-custody.h"
#include "ps-date.h"
#include "ps-declaration.h"
#include "ps-enums.h"
#include "ps-error.h"
#include "ps-reasons.h"
#include "ps-rules.h"
#include "ps-text.h"
#include "ps-tracking.h"
#include "ps-weight.h"
