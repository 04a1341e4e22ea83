#!/usr/bin/env bash
# README command 1: runs a whole collection round (2020-21 Q1) locally, end to end, on the durable engine with a
# clock running 36,000 times the wall's (an hour every 0.1 s) that waits for the engine, so a quarter takes seconds.
#   ./run-quarter.sh            run the quarter and exit
#   ./run-quarter.sh --serve    ...then keep serving: mailbox, form links and report in a browser
#   ./run-quarter.sh --resume   continue a demo that was stopped, with its stored data
#   ./run-quarter.sh --session  no demo: an empty store and the app on the real clock, for your own register
#   ./run-quarter.sh --session --start 2024-10-07T09:00 [--scale 60]   ...its clock from a day you name (and faster)
#   ./run-quarter.sh --register my-register.csv --quarter 2024-25-Q3   rehearse any quarter of your own register
#   ./run-quarter.sh --scale 7200                                     a slower clock (two hours a second)
#   ./run-quarter.sh --port 5090 --azurite-port 10200                 the app on :5090, Azurite on :10200-10202
# Installs what it needs (Azurite and GOV.UK Frontend from npm into ./node_modules) and starts Azurite on 127.0.0.1:10100-10102.
set -euo pipefail
cd "$(dirname "$0")"

resume=false; session=false; args=(); base=10100; next_is_base=false
for a in "$@"; do
  if $next_is_base; then base=$a; next_is_base=false
  elif [ "$a" = "--resume" ]; then resume=true
  elif [ "$a" = "--session" ]; then session=true
  elif [ "$a" = "--azurite-port" ]; then next_is_base=true
  else args+=("$a"); fi
done
case "$base" in ''|*[!0-9]*) echo "run-quarter.sh: --azurite-port $base: a port such as 10100 (blob; queue and table take the next two)" >&2; exit 2 ;; esac
blob=$base; queue=$((base + 1)); table=$((base + 2))
session_args=(${args[@]+"${args[@]}"}) # a session takes --port, --start and --scale; the demo's defaults are not its
case " ${args[*]-} " in *" --register "*) ;; *) args+=(--register sample/register.csv) ;; esac
case " ${args[*]-} " in *" --scale "*) ;; *) args+=(--scale 36000) ;; esac

KA_SKIP_APT=1 ./.ci/install-tools # npm packages only: the local run needs no browser
dotnet build functions/KaWorkflow.Local/KaWorkflow.Local.csproj -c Release -nologo -v q -clp:ErrorsOnly

data=.data/azurite
$resume || rm -rf "$data" out
mkdir -p "$data"
node node_modules/azurite/dist/src/azurite.js --silent --skipApiVersionCheck --disableTelemetry --location "$data" \
  --blobHost 127.0.0.1 --blobPort $blob --queueHost 127.0.0.1 --queuePort $queue --tableHost 127.0.0.1 --tablePort $table &
azurite=$!
trap 'kill $azurite 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$table) 2>/dev/null && break; sleep 0.1; done

key=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==  # Azurite's published development key
conn="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
app=functions/KaWorkflow.Local/bin/Release/net10.0/KaWorkflow.Local.dll
if $session; then
  # A local session: the app on the real clock (or one from --start, at --scale) against this (empty, unless
  # --resume) store; the CLI in a second terminal acts on the same store, and the running app sends what it opens.
  port=5080; serve=(); next=""
  for a in ${session_args[@]+"${session_args[@]}"}; do
    if [ "$next" = port ]; then port=$a; next=""
    elif [ -n "$next" ]; then serve+=("$next" "$a"); next=""
    elif [ "$a" = "--port" ]; then next=port
    elif [ "$a" = "--start" ] || [ "$a" = "--scale" ]; then next=$a
    else echo "run-quarter.sh --session: $a is not a session option (--port, --start, --scale, --azurite-port, --resume)" >&2; exit 2; fi
  done
  url=http://127.0.0.1:$port
  echo "KaWorkflow session: app on $url (mailbox /dev/mailbox, dashboard /api/dashboard), storage on 127.0.0.1:$blob-$table"
  dotnet "$app" serve "--Storage:ConnectionString=$conn" --urls=$url "--Form:PublicBaseUrl=$url" \
    "--Mail:GraphBaseUrl=$url/dev/graph/v1.0" ${serve[@]+"${serve[@]}"}
  exit
fi
dotnet "$app" demo --out out \
  "--Storage:ConnectionString=$conn" "--Logging:LogLevel:Default=Warning" ${args[@]+"${args[@]}"}
