#!/usr/bin/env bash
# Install the Debian packages sohoa needs, only when something is missing (fast when not).
set -euo pipefail

PACKAGES=(
  tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd
  poppler-utils qpdf ghostscript
  softhsm2 opensc libnss3-tools
  fonts-dejavu-core fonts-liberation2
  redis-server rabbitmq-server
  sane-utils sane-airscan chromium
  time
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Cài gói Debian còn thiếu (installing missing Debian packages): ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
