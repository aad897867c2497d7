#ifndef DBPKI_CGNUTLS_SHIMS_H
#define DBPKI_CGNUTLS_SHIMS_H

#include <time.h>

// GnuTLS verification has no per-call time. These let one thread verify
// "as of" a chosen time: the override is thread-local, so concurrent
// verifications on other threads keep the real clock.

/// Installs dbpki's time function into GnuTLS (idempotent, thread-safe).
void dbpki_gnutls_install_time_hook(void);

/// Sets (when `enabled` is non-zero) or clears this thread's verification time.
void dbpki_gnutls_set_thread_time(int enabled, time_t when);

#endif
