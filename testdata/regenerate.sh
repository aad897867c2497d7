#!/usr/bin/env bash
# Regenerates testdata/chain/ with the openssl CLI, independently of dbpki, so that
# dbpki's tests read certificates no dbpki engine made. Run from anywhere:
#   bash testdata/regenerate.sh
# Everything is valid for 20 years from the day it is run; tests pin their times
# with --at inside that window (see testdata/README.md).
set -euo pipefail
cd "$(dirname "$0")"
rm -rf chain && mkdir chain && cd chain
umask 077

ext() { printf '%s\n' "$@" > "$tmp/ext.cnf"; echo "$tmp/ext.cnf"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out root.key
openssl req -new -x509 -key root.key -subj "/CN=dbpki testdata Root CA" -days 7300 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    -addext "subjectKeyIdentifier=hash" -out root.crt

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out intermediate.key
openssl req -new -key intermediate.key -subj "/CN=dbpki testdata Issuing CA" -out "$tmp/intermediate.csr"
openssl x509 -req -in "$tmp/intermediate.csr" -CA root.crt -CAkey root.key -CAcreateserial -days 7250 -sha256 \
    -extfile "$(ext 'basicConstraints=critical,CA:TRUE,pathlen:0' 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature' \
        'subjectKeyIdentifier=hash' 'authorityKeyIdentifier=keyid')" -out intermediate.crt

leaf() {  # name, EKU, SAN
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"
    openssl req -new -key "$1.key" -subj "/CN=$1" -out "$tmp/$1.csr"
    openssl x509 -req -in "$tmp/$1.csr" -CA intermediate.crt -CAkey intermediate.key -CAcreateserial -days 7200 \
        -sha256 -extfile "$(ext 'basicConstraints=critical,CA:FALSE' 'keyUsage=critical,digitalSignature' \
            "extendedKeyUsage=$2" 'subjectKeyIdentifier=hash' 'authorityKeyIdentifier=keyid' ${3:+"subjectAltName=$3"})" \
        -out "$1.crt"
}
leaf db1.example.com serverAuth "DNS:db1.example.com,DNS:db1,IP:127.0.0.1,IP:::1"
leaf app-client clientAuth ""

cat intermediate.crt root.crt > ca-chain.crt
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other-root.key
openssl req -new -x509 -key other-root.key -subj "/CN=dbpki testdata Unrelated Root" -days 7300 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out other-root.crt
rm -f ./*.srl other-root.key
chmod 644 ./*.crt
chmod 600 ./*.key
openssl x509 -in root.crt -noout -startdate -enddate
