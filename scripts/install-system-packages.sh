#!/usr/bin/env bash
# Debian packages the test suite drives for real: Chromium (browser test of the Streamlit app),
# LibreOffice Writer and poppler (the kategoristrategi .docx is converted to PDF and read back).
# Skips what is already installed; needs root (or sudo) only when something is missing.
set -euo pipefail
packages=(chromium libreoffice-writer-nogui poppler-utils fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installerar Debianpaket: ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
