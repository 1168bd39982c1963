#!/usr/bin/env bash
# Runs every test of Micro: the house-style check (whitespace, .editorconfig), then builds the solution
# (Release) and runs all test projects. Installs what the tests need first (tests/setup.sh).
# Ends with the line "N passed, N failed" (the style check counts as one test).
set -uo pipefail
cd "$(dirname "$0")/.."
bash tests/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
# House style: `dotnet format whitespace Micro.sln` fixes what this reports (root .editorconfig).
style_failed=0
style_out=$(dotnet format whitespace Micro.sln --verify-no-changes 2>&1); style_status=$?
if [ "$style_status" -eq 0 ]; then
  echo "style: dotnet format whitespace --verify-no-changes: clean"
else
  grep -v '^Warnings were encountered while loading the workspace' <<<"$style_out" | sed 's/ \[[^]]*\.csproj\]$//' | head -40
  echo "style: FAILED (exit $style_status) — run 'dotnet format whitespace Micro.sln' (the files above break the root .editorconfig)"; style_failed=1
fi
log=$(mktemp)
dotnet test Micro.sln -c Release --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# dotnet test prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 19, Skipped: 0, ..."
passed=$(grep -E '^(Passed|Failed)! +- +Failed:' "$log" | grep -Eo 'Passed: +[0-9]+' | awk '{s+=$2} END {print s+0}')
failed=$(grep -E '^(Passed|Failed)! +- +Failed:' "$log" | grep -Eo 'Failed: +[0-9]+' | awk '{s+=$2} END {print s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # a build error counts as a failure
if [ "$style_failed" -eq 1 ]; then failed=$((failed + 1)); status=1; else passed=$((passed + 1)); fi
echo "$passed passed, $failed failed"
exit "$status"
