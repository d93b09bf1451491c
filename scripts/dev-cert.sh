#!/usr/bin/env bash
# Self-signed certificate for LAN testing: TLS_CERT=data/dev-cert.pem TLS_KEY=data/dev-key.pem make run
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p data
host=$(hostname)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 \
  -keyout data/dev-key.pem -out data/dev-cert.pem -subj "/CN=$host" \
  -addext "subjectAltName=DNS:localhost,DNS:$host,IP:127.0.0.1" 2>/dev/null
chmod 600 data/dev-key.pem
echo "wrote data/dev-cert.pem and data/dev-key.pem; start with: TLS_CERT=data/dev-cert.pem TLS_KEY=data/dev-key.pem make run"
