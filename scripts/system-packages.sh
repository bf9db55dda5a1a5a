#!/usr/bin/env bash
# Installs the Debian packages that `make test` (all of them) and `make demo` (gettext, weasyprint)
# use, when they are missing. Only root can install; anyone else is told what is missing.
# Usage: system-packages.sh [gettext] [postgresql] [chromium] [weasyprint]   (no argument: all)
set -euo pipefail
wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(gettext postgresql chromium weasyprint)
need=()
installed() { dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed; }
for item in "${wanted[@]}"; do
  case "$item" in
    gettext) command -v msgfmt >/dev/null || need+=(gettext) ;;
    postgresql)
      [ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
      command -v runuser >/dev/null || need+=(util-linux) ;;
    chromium) [ -x /usr/bin/chromium ] || need+=(chromium) ;;
    # The PDF recap: WeasyPrint's wheels need Pango and HarfBuzz (its docs, Debian >= 11), and a
    # font with the Indonesian letters and the signs the recap uses.
    weasyprint)
      for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
        installed "$pkg" || need+=("$pkg")
      done ;;
    *) echo "unknown package group: $item" >&2; exit 2 ;;
  esac
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${need[*]} (as root: apt-get install ${need[*]})" >&2
  exit 0
fi
echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
