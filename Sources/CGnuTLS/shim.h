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

/// Frees memory GnuTLS allocated (gnutls_free is a function-pointer variable behind a macro).
static inline void dbpki_gnutls_free(void *p) { gnutls_free(p); }

/// GNUTLS_CURVE_TO_BITS: the `bits` argument that asks key generation for a curve.
static inline unsigned int dbpki_gnutls_curve_to_bits(gnutls_ecc_curve_t curve) {
    return GNUTLS_CURVE_TO_BITS(curve);
}

/// GNUTLS_PROFILE_TO_VFLAGS: the verification flags that select a security profile.
static inline unsigned int dbpki_gnutls_profile_to_vflags(gnutls_certificate_verification_profiles_t profile) {
    return GNUTLS_PROFILE_TO_VFLAGS(profile);
}

#endif
