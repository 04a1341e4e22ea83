#!/usr/bin/env bash
# Builds the deployable Azure Functions app (isolated worker) into dist/functionapp and zips it for Flex Consumption's
# one-deploy: host.json, functions.metadata, worker.config.json, extensions.json and .azurefunctions/ at the root.
# The first run takes minutes: the worker SDK builds an inner project for the host's extensions.
set -euo pipefail
cd "$(dirname "$0")"
KA_SKIP_APT=1 ./.ci/install-tools # GOV.UK Frontend from npm goes into the package
out=dist/functionapp
rm -rf "$out" dist/functionapp.zip
dotnet publish functions/KaWorkflow.Functions/KaWorkflow.Functions.csproj -c Release -o "$out" -nologo -v q -clp:ErrorsOnly
(cd "$out" && python3 -c "import shutil; shutil.make_archive('../functionapp', 'zip', '.')")
echo "Package: $out (and dist/functionapp.zip)"
