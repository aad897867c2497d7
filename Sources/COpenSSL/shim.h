#ifndef DBPKI_COPENSSL_SHIM_H
#define DBPKI_COPENSSL_SHIM_H

// OpenSSL 3.x headers dbpki uses. Macros that Swift cannot see are wrapped
// below as static inline functions, named dbpki_<what they wrap>.

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/opensslv.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#endif
