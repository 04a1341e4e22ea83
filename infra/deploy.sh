#!/usr/bin/env bash
# Creates or updates KaWorkflow in a resource group and deploys the app package.
#   infra/deploy.sh RESOURCE_GROUP [PARAMETERS_FILE]
# Needs: Azure CLI signed in (az login) with Owner, or Contributor plus User Access Administrator, on the resource
# group (the template assigns roles to the app's identity); an existing Entra app registration for sign-in (see
# infra/register-sign-in.sh) whose client id is in the parameters file.
set -euo pipefail
cd "$(dirname "$0")/.."
group=${1:?usage: infra/deploy.sh RESOURCE_GROUP [PARAMETERS_FILE]}
parameters=${2:-infra/main.parameters.json}

echo "1/4 Deploying infra/main.json to $group"
outputs=$(az deployment group create --resource-group "$group" --template-file infra/main.json \
  --parameters "@$parameters" --query properties.outputs -o json)
site=$(echo "$outputs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["siteName"]["value"])')
principal=$(echo "$outputs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["identityPrincipalId"]["value"])')
url=$(echo "$outputs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["publicBaseUrl"]["value"])')

echo "2/4 Letting the app's identity stand in for a sign-in secret (federated credential on the app registration)"
client=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["parameters"]["signInClientId"]["value"])' "$parameters")
tenant=$(az account show --query tenantId -o tsv)
if ! az ad app federated-credential list --id "$client" --query "[?subject=='$principal']" -o tsv | grep -q .; then
  az ad app federated-credential create --id "$client" --parameters "{\"name\":\"kaworkflow-$site\",\"issuer\":\"https://login.microsoftonline.com/$tenant/v2.0\",\"subject\":\"$principal\",\"audiences\":[\"api://AzureADTokenExchange\"]}" >/dev/null
fi
az ad app update --id "$client" --web-redirect-uris "$url/.auth/login/aad/callback" >/dev/null

echo "3/4 Building the package (publish.sh)"
./publish.sh

echo "4/4 Deploying dist/functionapp.zip to $site"
az functionapp deployment source config-zip --resource-group "$group" --name "$site" --src dist/functionapp.zip >/dev/null

echo
echo "Deployed: $url"
echo "  health:  $url/api/health"
echo "  who am I (after signing in): $url/api/whoami"
echo "Next: give the identity permission to send mail (infra/grant-mail.sh), then import the register."
