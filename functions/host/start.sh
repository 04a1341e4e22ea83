#!/bin/sh
# Started by the Functions host (host.json runs "sh start.sh"): zip deployment can drop the execute bit, so restore it.
cd "$(dirname "$0")"
chmod +x ./app/KaWorkflow 2>/dev/null || true
exec ./app/KaWorkflow serve
