#include "CGnuTLSShims.h"

#include <gnutls/gnutls.h>
#include <pthread.h>

static _Thread_local int override_enabled = 0;
static _Thread_local time_t override_time = 0;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

static time_t dbpki_time(time_t *t) {
    time_t now = override_enabled ? override_time : time(NULL);
    if (t != NULL) {
        *t = now;
    }
    return now;
}

static void install(void) { gnutls_global_set_time_function(dbpki_time); }

void dbpki_gnutls_install_time_hook(void) { pthread_once(&install_once, install); }

void dbpki_gnutls_set_thread_time(int enabled, time_t when) {
    override_enabled = enabled;
    override_time = when;
}
