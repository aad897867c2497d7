#ifndef DBPKI_COPENSSL_SHIM_H
#define DBPKI_COPENSSL_SHIM_H

// OpenSSL 3.x headers dbpki uses. Macros that Swift cannot see are wrapped
// below as static inline functions, named dbpki_<what they wrap>.

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/opensslv.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

// Memory.

static inline void dbpki_OPENSSL_free(void *pointer) { OPENSSL_free(pointer); }

// STACK_OF(X509).

static inline STACK_OF(X509) *dbpki_sk_X509_new_null(void) { return sk_X509_new_null(); }
static inline int dbpki_sk_X509_push(STACK_OF(X509) *stack, X509 *cert) { return sk_X509_push(stack, cert); }
static inline int dbpki_sk_X509_num(const STACK_OF(X509) *stack) { return sk_X509_num(stack); }
static inline X509 *dbpki_sk_X509_value(const STACK_OF(X509) *stack, int index) {
    return sk_X509_value(stack, index);
}
/// Frees the stack only; the certificates stay owned by their callers.
static inline void dbpki_sk_X509_free(STACK_OF(X509) *stack) { sk_X509_free(stack); }

// STACK_OF(ASN1_OBJECT), as in EXTENDED_KEY_USAGE.

static inline STACK_OF(ASN1_OBJECT) *dbpki_sk_ASN1_OBJECT_new_null(void) { return sk_ASN1_OBJECT_new_null(); }
static inline int dbpki_sk_ASN1_OBJECT_push(STACK_OF(ASN1_OBJECT) *stack, ASN1_OBJECT *object) {
    return sk_ASN1_OBJECT_push(stack, object);
}
static inline int dbpki_sk_ASN1_OBJECT_num(const STACK_OF(ASN1_OBJECT) *stack) { return sk_ASN1_OBJECT_num(stack); }
static inline ASN1_OBJECT *dbpki_sk_ASN1_OBJECT_value(const STACK_OF(ASN1_OBJECT) *stack, int index) {
    return sk_ASN1_OBJECT_value(stack, index);
}
/// Frees the stack and every object in it.
static inline void dbpki_sk_ASN1_OBJECT_pop_free(STACK_OF(ASN1_OBJECT) *stack) {
    sk_ASN1_OBJECT_pop_free(stack, ASN1_OBJECT_free);
}

// GENERAL_NAMES (STACK_OF(GENERAL_NAME)); free with GENERAL_NAMES_free.

static inline GENERAL_NAMES *dbpki_sk_GENERAL_NAME_new_null(void) { return sk_GENERAL_NAME_new_null(); }
static inline int dbpki_sk_GENERAL_NAME_push(GENERAL_NAMES *stack, GENERAL_NAME *name) {
    return sk_GENERAL_NAME_push(stack, name);
}
static inline int dbpki_sk_GENERAL_NAME_num(const GENERAL_NAMES *stack) { return sk_GENERAL_NAME_num(stack); }
static inline GENERAL_NAME *dbpki_sk_GENERAL_NAME_value(const GENERAL_NAMES *stack, int index) {
    return sk_GENERAL_NAME_value(stack, index);
}

// STACK_OF(X509_REVOKED), owned by its CRL.

static inline int dbpki_sk_X509_REVOKED_num(const STACK_OF(X509_REVOKED) *stack) {
    return sk_X509_REVOKED_num(stack);
}
static inline X509_REVOKED *dbpki_sk_X509_REVOKED_value(const STACK_OF(X509_REVOKED) *stack, int index) {
    return sk_X509_REVOKED_value(stack, index);
}

// Verification context application data (ex_data index 0, reserved for the application).

static inline int dbpki_X509_STORE_CTX_set_app_data(X509_STORE_CTX *ctx, void *data) {
    return X509_STORE_CTX_set_app_data(ctx, data);
}
static inline void *dbpki_X509_STORE_CTX_get_app_data(X509_STORE_CTX *ctx) {
    return X509_STORE_CTX_get_app_data(ctx);
}

// Key selections (composite macros).

static inline int dbpki_EVP_PKEY_KEYPAIR(void) { return EVP_PKEY_KEYPAIR; }

// Error codes.

static inline int dbpki_ERR_GET_LIB(unsigned long code) { return ERR_GET_LIB(code); }
static inline int dbpki_ERR_GET_REASON(unsigned long code) { return ERR_GET_REASON(code); }

#endif
