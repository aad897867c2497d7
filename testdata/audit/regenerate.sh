#!/usr/bin/env bash
# Regenerates the fixed audit test certificates (see README.md). Needs the openssl CLI 3.x.
# Each is a self-signed server certificate with a DNS SAN, valid 365 days from the moment it is made; the tests
# judge findings, which do not depend on the dates (their stage does, so tests that need a stage pass --at).
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make() {  # name, key generation args..., then -- and extra req args
    local name=$1; shift
    local keyargs=()
    while [ "$1" != "--" ]; do keyargs+=("$1"); shift; done
    shift
    openssl genpkey "${keyargs[@]}" -out "$work/$name.key" 2>/dev/null
    openssl req -new -key "$work/$name.key" -subj "/CN=$name.audit.example" -out "$work/$name.csr" "$@"
    printf 'subjectAltName=DNS:%s.audit.example\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n' \
        "$name" > "$work/ext.cnf"
    openssl x509 -req -in "$work/$name.csr" -signkey "$work/$name.key" -days 365 -set_serial "0x$(openssl rand -hex 8)" \
        -extfile "$work/ext.cnf" "$@" -out "$name.crt" 2>/dev/null
}

make rsa-1024 -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -- -sha256
make ec-p224 -algorithm EC -pkeyopt ec_paramgen_curve:P-224 -- -sha256
make md5-signed -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -- -md5
make sha1-signed -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -- -sha1
openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out "$work/dsa.param" 2>/dev/null
make dsa-2048 -paramfile "$work/dsa.param" -- -sha256
# A curve the fast reader does not name: the audit asks the engine instead (named .cer so the
# fast-reader conformance test, which reads *.crt, leaves it to the fallback test).
make secp256k1 -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -- -sha256
mv secp256k1.crt secp256k1.cer
