#!/usr/bin/env bash
# Makes a self-signed TLS certificate for the LAN dashboard (server.lan in the configuration).
#   npm run lan-cert -- OUT_DIR [IP-or-HOSTNAME ...]
# Writes OUT_DIR/lan-cert.pem and OUT_DIR/lan-key.pem (0600). Supervisors' browsers will ask
# once to trust it; compare the SHA-256 fingerprint printed here with the one they are shown.
set -euo pipefail
out="${1:?usage: npm run lan-cert -- OUT_DIR [IP-or-HOSTNAME ...]}"
shift || true
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  # shellcheck disable=SC2207
  names=($(hostname -I 2>/dev/null || true) "$(hostname)")
fi
san="DNS:localhost,IP:127.0.0.1"
for n in "${names[@]}"; do
  [ -z "$n" ] && continue
  if [[ "$n" =~ ^[0-9.]+$ || "$n" == *:* ]]; then san="$san,IP:$n"; else san="$san,DNS:$n"; fi
done
mkdir -p "$out"
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
  -subj "/CN=SiteGate gate appliance" -addext "subjectAltName=$san" \
  -keyout "$out/lan-key.pem" -out "$out/lan-cert.pem" 2>/dev/null
chmod 600 "$out/lan-key.pem"
echo "certificate: $out/lan-cert.pem"
echo "key:         $out/lan-key.pem"
echo "names:       $san"
openssl x509 -in "$out/lan-cert.pem" -noout -fingerprint -sha256
