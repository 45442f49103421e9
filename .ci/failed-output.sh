#!/usr/bin/env bash
# Prints the output of each test class that failed (target/surefire-reports and
# target/failsafe-reports keep it per class, beside the class's report): the last lines of each,
# so a CI log shows what the servers said without holding every passing class's lines.
set -u
lines=${1:-300}
for report in target/surefire-reports/*.txt target/failsafe-reports/*.txt; do
  [ -f "$report" ] || continue
  case "$report" in *-output.txt) continue ;; esac
  grep -qE 'FAILURE!|ERROR!' "$report" || continue
  output="${report%.txt}-output.txt"
  echo "=== $report"
  sed -n '1,40p' "$report"
  if [ -f "$output" ]; then
    echo "--- the last $lines lines of $output"
    tail -n "$lines" "$output"
  fi
done
