#ifndef DBPKI_CGNUTLS_SHIM_H
#define DBPKI_CGNUTLS_SHIM_H

// GnuTLS 3.7 headers dbpki uses. Anything Swift cannot reach directly
// (function-pointer globals such as gnutls_free, macros) is wrapped below
// as a static inline function named dbpki_<what it wraps>.

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs12.h>
#include <gnutls/x509.h>
#include <gnutls/x509-ext.h>

#endif
