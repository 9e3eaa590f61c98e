/* ps-device-manager-private.h — what the device manager's files share: the
 * manager's and a claimed device's state, and the events that carry what
 * the device thread learns to the main context (ps-device-events.c). */
#pragma once

#include <libusb.h>

#include "ps-driver.h"

G_BEGIN_DECLS

typedef enum
{
  EVENT_ADDED,
  EVENT_REMOVED,
  EVENT_STATE,
  EVENT_WEIGHT,
  EVENT_SCAN,
  EVENT_ERROR,
  EVENT_ENUMERATED,
} PsEventType;

struct _PsDriverDevice
{
  PsDeviceManager *manager;
  libusb_device *usb_device;
  libusb_device_handle *handle;
  const PsDriver *driver;
  gpointer driver_state;
  int interface;
  guint8 endpoint;
  int packet_size;
  gboolean detached;
  gboolean claimed;
  struct libusb_transfer *transfer;
  guint8 *buffer;
  gboolean in_flight;
  gboolean needs_clear_halt;
  gboolean gone;
  gboolean orphaned; /* released while its transfer would not end: freed by its callback */
  guint transfer_errors;
  gint64 opened_us;
  gint64 last_report_us;
  gboolean silence_reported;
  char *last_error;
  PsDeviceInfo *info;
};

struct _PsDeviceManager
{
  GObject parent_instance;

  GMainContext *context;
  libusb_context *usb;
  GThread *thread;
  gint stopping;
  gboolean hotplug;
  libusb_hotplug_callback_handle hotplug_handle;

  GArray *keyboard_ids; /* guint32 vendor << 16 | product, configured */

  /* Shared with the device thread. */
  GMutex lock;
  GPtrArray *arrivals;      /* libusb_device, referenced */
  GPtrArray *departures;    /* libusb_device, referenced */
  GPtrArray *zero_requests; /* char *id */

  /* Device thread only. */
  GHashTable *seen;   /* libusb_device → TRUE: probed, claimed or not */
  GPtrArray *devices; /* PsDriverDevice */
  gint64 last_poll_us;

  /* Main context only: what "device-*" signals have said. */
  GPtrArray *known; /* PsDeviceInfo */
  gboolean enumerated;
};

enum
{
  SIGNAL_DEVICE_ADDED,
  SIGNAL_DEVICE_REMOVED,
  SIGNAL_DEVICE_STATE_CHANGED,
  SIGNAL_WEIGHT,
  SIGNAL_SCAN,
  SIGNAL_DEVICE_ERROR,
  SIGNAL_ENUMERATED,
  N_SIGNALS
};
extern guint ps_device_manager_signals[N_SIGNALS];

typedef struct _PsEvent PsEvent;

/* A new event about @info (copied), for the main context. */
PsEvent *ps_event_new (PsDeviceManager *self, PsEventType type, const PsDeviceInfo *info);
/* Hands @event to the main context, which emits its signal and frees it. */
void ps_event_post (PsEvent *event);
/* Sets the device's state and message, and says so. */
void ps_driver_device_set_state (PsDriverDevice *device, PsDeviceState state, const char *message);

G_END_DECLS
