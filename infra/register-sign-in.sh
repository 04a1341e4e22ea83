#!/usr/bin/env bash
# Creates the Entra app registration the performance team signs in with, and its app role.
#   infra/register-sign-in.sh DISPLAY_NAME
# Needs: Azure CLI signed in as someone who may create app registrations (Application Developer or higher).
# Prints the client id for infra/main.parameters.json. Assign the role to people (or a group) afterwards in
# Entra ID > Enterprise applications > DISPLAY_NAME > Users and groups.
set -euo pipefail
name=${1:?usage: infra/register-sign-in.sh DISPLAY_NAME}
role_id=$(python3 -c 'import uuid; print(uuid.uuid4())')
roles="[{\"allowedMemberTypes\":[\"User\"],\"description\":\"Runs Key Activity collection rounds and reads the reports.\",\"displayName\":\"Performance team\",\"id\":\"$role_id\",\"isEnabled\":true,\"value\":\"KaWorkflow.PerformanceTeam\"}]"
client=$(az ad app create --display-name "$name" --sign-in-audience AzureADMyOrg --app-roles "$roles" \
  --enable-id-token-issuance true --query appId -o tsv)
az ad app update --id "$client" --identifier-uris "api://$client" >/dev/null
az ad sp create --id "$client" >/dev/null
az ad sp update --id "$client" --set appRoleAssignmentRequired=true >/dev/null
echo "signInClientId: $client"
