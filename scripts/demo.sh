#!/usr/bin/env bash
# `make demo`: the product on SQLite with the synthetic demo population, at http://127.0.0.1:8000/.
# Safe to run again: migrations, region loading and static files are idempotent, and the demo data
# is seeded only once (`kampungkb seed demo --reset` seeds it afresh). Everything lives in ./var.
set -euo pipefail

cd "$(dirname "$0")/.."
KAMPUNGKB=.venv/bin/kampungkb
if [ ! -x "$KAMPUNGKB" ]; then
  echo "The virtualenv is missing: run \`make demo\` (or \`make install\`) first." >&2
  exit 1
fi

export DEBUG=1
export KAMPUNGKB_DATA_DIR=./var
# The demo is SQLite in ./var, whatever database this shell may point at.
unset DATABASE_URL

# The recap's PDF needs Pango and a font (WeasyPrint); installed when root, else named.
bash scripts/system-packages.sh weasyprint

mkdir -p var
echo "==> Database (SQLite, var/kampungkb.sqlite3)"
"$KAMPUNGKB" migrate --noinput -v 0

echo "==> Regions (Kemendagri, all provinces)"
"$KAMPUNGKB" regions load

echo "==> Demo population"
"$KAMPUNGKB" seed demo --if-absent

echo "==> Indicators (the months marked since the last fill)"
"$KAMPUNGKB" indicators fill

echo "==> Kampung KB classes of the last twelve months (from the facts just filled)"
"$KAMPUNGKB" kampung classify --since "$(date -d "$(date +%Y-%m-01) -11 months" +%Y-%m)"

# SQLite keeps no table statistics until asked: without them its planner reads the 90,000 areas
# by level instead of by code prefix (about 90 ms instead of under 1 ms on a district's pages).
echo "==> Table statistics (SQLite ANALYZE)"
"$KAMPUNGKB" shell -c "from django.db import connection; connection.cursor().execute('ANALYZE')"

# Collect static files when they were never collected or something changed since: the vendored
# assets in the source tree, or the installed packages (Django admin).
stamp=var/static/.collected
if [ ! -f "$stamp" ] \
  || [ .venv/.installed -nt "$stamp" ] \
  || [ -n "$(find src/kampungkb -path '*/static/*' -type f -newer "$stamp" -print -quit)" ]; then
  echo "==> Static files"
  "$KAMPUNGKB" collectstatic --noinput -v 0
  touch "$stamp"
fi

echo
echo "kampungkb demo: http://127.0.0.1:8000/"
"$KAMPUNGKB" seed logins
echo
exec "$KAMPUNGKB" runserver 127.0.0.1:8000
