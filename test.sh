#!/usr/bin/env bash
# README command 2: runs every test (unit, Azurite integration, durable engine, browser, Functions package, ARM, crash recovery).
# Installs what the tests need: Azurite, GOV.UK Frontend and axe-core from npm into ./node_modules, and Debian's
# Chromium for the browser tests. The tests start their own Azurite on free ports.
#   ./test.sh --pure   only the pure tests (decisions, calendars, parsing: no Azurite, no browser), in seconds,
#                      with nothing installed: the loop to run while changing a decision.
set -euo pipefail
cd "$(dirname "$0")"
if [[ "${1:-}" == "--pure" ]]; then
  exec dotnet test tests/KaWorkflow.Tests -c Release -nologo --filter "Kind=Pure" --logger "console;verbosity=minimal"
fi
./.ci/install-tools
rm -rf TestResults
status=0
dotnet test KaWorkflow.sln -c Release -nologo --results-directory TestResults --logger "trx;LogFileName=results.trx" --logger "console;verbosity=minimal" || status=$?
# One plain closing line, whatever the runner printed.
python3 - <<'PY' || status=1
import re, glob
counters = [re.search(r'<Counters [^>]*', open(f, encoding='utf-8').read()).group(0) for f in glob.glob('TestResults/**/*.trx', recursive=True)]
get = lambda name: sum(int(re.search(name + r'="(\d+)"', c).group(1)) for c in counters)
passed, failed, total = get('passed'), get('failed'), get('total')
# The fault suite's one figure: every injected fault, and the lead data it lost as each test measured it.
try:
    faults = [line.split('\t') for line in open('TestResults/faults.tsv', encoding='utf-8').read().splitlines() if line]
    print(f"faults tried {len(faults)}, data lost {sum(int(lost) for _, lost in faults)}")
except FileNotFoundError:
    pass
print(f"{passed} passed, {failed} failed, {total - passed - failed} skipped")
raise SystemExit(1 if failed or not total else 0)
PY
exit $status
