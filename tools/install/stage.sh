#!/usr/bin/env bash
# One install stage: a line saying what it does, its output appended to the install log, its
# elapsed time; on failure the log's last lines and its path.
#   tools/install/stage.sh LOG 'what' 'how long it usually takes' -- COMMAND...
set -u
log=$1; what=$2; usually=$3; shift 4
mkdir -p "$(dirname "$log")"
printf '%-26s %s' "$what" "${usually:+($usually) }"
echo "=== $(date -u +%FT%TZ) $what: $*" >> "$log"
start=$SECONDS
if "$@" >> "$log" 2>&1; then
  echo "done in $((SECONDS - start)) s"
else
  code=$?
  echo "FAILED after $((SECONDS - start)) s (exit $code); the last lines of $log:"
  tail -n 25 "$log" | sed 's/^/  | /'
  echo "full log: $log"
  exit "$code"
fi
