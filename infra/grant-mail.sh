#!/usr/bin/env bash
# Lets the app's managed identity send mail as the sender mailbox, and only that mailbox.
#   infra/grant-mail.sh IDENTITY_CLIENT_ID IDENTITY_PRINCIPAL_ID SENDER_MAILBOX
# A template cannot grant Microsoft Graph permissions. The least-privilege way is Exchange Online RBAC for
# Applications, which this prints as PowerShell to run as an Exchange administrator (Connect-ExchangeOnline).
# With --tenant-wide it instead grants the Entra application permission Mail.Send, which lets the identity send as
# ANY mailbox; it needs a Privileged Role Administrator (AppRoleAssignment.ReadWrite.All). Prefer the default.
set -euo pipefail
client=${1:?usage: infra/grant-mail.sh IDENTITY_CLIENT_ID IDENTITY_PRINCIPAL_ID SENDER_MAILBOX [--tenant-wide]}
principal=${2:?identity principal (object) id}
sender=${3:?sender mailbox}
if [ "${4:-}" = "--tenant-wide" ]; then
  graph=$(az ad sp show --id 00000003-0000-0000-c000-000000000000 --query id -o tsv)
  az rest --method POST --uri "https://graph.microsoft.com/v1.0/servicePrincipals/$principal/appRoleAssignments" \
    --body "{\"principalId\":\"$principal\",\"resourceId\":\"$graph\",\"appRoleId\":\"b633e1c5-b582-4048-a93e-9f11b44c7e96\"}"
  echo "Granted Mail.Send (application, tenant-wide) to $principal."
  exit 0
fi
cat <<PS
# Run in Exchange Online PowerShell (Connect-ExchangeOnline) as an Exchange administrator:
New-ServicePrincipal -AppId $client -ObjectId $principal -DisplayName "KaWorkflow mail"
New-ManagementScope -Name "KaWorkflow sender" -RecipientRestrictionFilter "PrimarySmtpAddress -eq '$sender'"
New-ManagementRoleAssignment -App $client -Role "Application Mail.Send" -CustomResourceScope "KaWorkflow sender"
Test-ServicePrincipalAuthorization -Identity $client -Resource $sender
PS
