#!/usr/bin/env bash
# Assembles the deployable Functions app folder (script root) in dist/functionapp and zips it:
#   host.json, one folder per function (http, tick) with its function.json, start.sh, and the
#   self-contained linux-x64 handler under app/.
set -euo pipefail
cd "$(dirname "$0")"
KA_SKIP_APT=1 ./.ci/install-tools # GOV.UK Frontend from npm goes into the package
out=dist/functionapp
rm -rf "$out" dist/functionapp.zip
dotnet publish functions/KaWorkflow/KaWorkflow.csproj -c Release -r linux-x64 --self-contained true -o "$out/app" -nologo -v q -clp:ErrorsOnly
cp host.json "$out/"
cp -r functions/host/http functions/host/tick "$out/"
cp functions/host/start.sh "$out/"
chmod +x "$out/app/KaWorkflow" "$out/start.sh"
(cd "$out" && python3 -c "import shutil; shutil.make_archive('../functionapp', 'zip', '.')")
echo "Package: $out (and dist/functionapp.zip)"
