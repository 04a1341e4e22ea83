#!/usr/bin/env bash
# The benchmark command: prints a Markdown table of the figures that matter, each beside its baseline or limit,
# and writes it to bench-results.md. Not part of the test command. Takes a few minutes.
#   ./bench.sh                 every row
#   ./bench.sh form report     only some (form, burst, quarter, report, idle, start)
set -euo pipefail
cd "$(dirname "$0")"
KA_SKIP_APT=1 ./.ci/install-tools
dotnet build functions/KaWorkflow.Local -c Release -nologo -v q -clp:ErrorsOnly # the start row runs the local host
dotnet build tests/KaWorkflow.Benchmarks -c Release -nologo -v q -clp:ErrorsOnly
dotnet tests/KaWorkflow.Benchmarks/bin/Release/net10.0/KaWorkflow.Benchmarks.dll "$@"
