/* ps-error.h — the project's error domain.
 *
 * Every layer converts the result codes of the library it wraps (SQLite,
 * libusb, libcurl) into one of these codes, with a message a person at the
 * counter can act on.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PS_ERROR (ps_error_quark ())

/**
 * PsError:
 * @PS_ERROR_INVALID_INPUT: a scan, a typed value or another input is not valid
 * @PS_ERROR_DATA_FILE: a data file (checklist, rules, reasons, watch list) is malformed
 * @PS_ERROR_CONFIG: the configuration is malformed
 * @PS_ERROR_NOT_ALLOWED: the action is not allowed at this point of the flow
 * @PS_ERROR_PERMISSION: the actor's role does not allow the action
 * @PS_ERROR_DUPLICATE: the thing exists already (a decided tracking number, a login)
 * @PS_ERROR_NOT_FOUND: no such user, parcel or report
 * @PS_ERROR_AUTH: unknown user or wrong PIN
 * @PS_ERROR_LOCKED: the user is locked out or disabled
 * @PS_ERROR_STORAGE_FULL: the disk is full; nothing was saved
 * @PS_ERROR_STORAGE_IO: the disk failed; nothing was saved
 * @PS_ERROR_STORAGE_BUSY: another program holds the database; nothing was saved
 * @PS_ERROR_STORAGE_CORRUPT: the database file is damaged
 * @PS_ERROR_STORAGE_VERSION: the database is from a newer ParcelScreen
 * @PS_ERROR_STORAGE: any other database failure
 * @PS_ERROR_FAILED: any other failure
 * @PS_ERROR_NEEDS_APPROVAL: allowed only with a supervisor's approval
 * @PS_ERROR_NO_DEVICE: the device was unplugged or is gone
 * @PS_ERROR_DEVICE_BUSY: another program or driver holds the device
 * @PS_ERROR_DEVICE_IO: the device or its cable failed during a transfer
 * @PS_ERROR_NETWORK: the network or the receiver could not be reached
 * @PS_ERROR_TIMED_OUT: a device or a peer did not answer in time
 * @PS_ERROR_TLS: a TLS handshake or certificate check failed
 */
typedef enum
{
  PS_ERROR_INVALID_INPUT,
  PS_ERROR_DATA_FILE,
  PS_ERROR_CONFIG,
  PS_ERROR_NOT_ALLOWED,
  PS_ERROR_PERMISSION,
  PS_ERROR_DUPLICATE,
  PS_ERROR_NOT_FOUND,
  PS_ERROR_AUTH,
  PS_ERROR_LOCKED,
  PS_ERROR_STORAGE_FULL,
  PS_ERROR_STORAGE_IO,
  PS_ERROR_STORAGE_BUSY,
  PS_ERROR_STORAGE_CORRUPT,
  PS_ERROR_STORAGE_VERSION,
  PS_ERROR_STORAGE,
  PS_ERROR_FAILED,
  PS_ERROR_NEEDS_APPROVAL,
  PS_ERROR_NO_DEVICE,
  PS_ERROR_DEVICE_BUSY,
  PS_ERROR_DEVICE_IO,
  PS_ERROR_NETWORK,
  PS_ERROR_TIMED_OUT,
  PS_ERROR_TLS,
} PsError;

GQuark ps_error_quark (void);

G_END_DECLS
