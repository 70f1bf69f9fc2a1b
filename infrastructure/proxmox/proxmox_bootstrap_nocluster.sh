#!/usr/bin/env bash
# Run once as root on the Proxmox VE host (before any cluster exists): creates the role,
# user, API token and ACLs that homeport needs, and nothing else. Idempotent: running it
# again brings the role's privileges back to exactly this list and changes nothing else.
# The token secret is printed only when the token is first created: store it in
# PROXMOX_TOKEN_SECRET (or SOPS-encrypt it into proxmox.tokenSecretFile).
#
# Every privilege is one that pve-apidoc.json names for a call homeport makes; README.md in
# this folder gives the reason for each.
#   proxmox_bootstrap_nocluster.sh [USER@REALM] [TOKEN_NAME]
set -euo pipefail
user="${1:-homeport@pve}"
token="${2:-homeport}"
role="HomeportProvisioner"
PRIVILEGES="VM.Allocate VM.Audit VM.Config.CPU VM.Config.Memory VM.Config.Disk VM.Config.CDROM VM.Config.Network VM.Config.HWType VM.Config.Options VM.Config.Cloudinit VM.PowerMgmt Datastore.AllocateSpace Datastore.AllocateTemplate Sys.Audit Sys.AccessNetwork SDN.Use"

command -v pveum >/dev/null 2>&1 || { echo "pveum not found: run this on the Proxmox VE host" >&2; exit 2; }
privs="${PRIVILEGES// /,}"

if pveum role list --output-format json | grep -q "\"roleid\":\"$role\""; then
  pveum role modify "$role" --privs "$privs"
  echo "role $role: privileges set"
else
  pveum role add "$role" --privs "$privs"
  echo "role $role: created"
fi

if pveum user list --output-format json | grep -q "\"userid\":\"$user\""; then
  echo "user $user: exists"
else
  pveum user add "$user" --comment "homeport: creates and manages the cluster's VMs"
  echo "user $user: created"
fi

# A privilege-separated token: it has only the ACLs given to it below.
if pveum user token list "$user" --output-format json | grep -q "\"tokenid\":\"$token\""; then
  echo "token $user!$token: exists (its secret was shown when it was created)"
else
  echo "token $user!$token: created; store this secret now, it is shown only once:"
  pveum user token add "$user" "$token" --privsep 1 --comment "homeport"
fi

# The role on / (propagating) for the user and the token.
pveum acl modify / --users "$user" --roles "$role" --propagate 1
pveum acl modify / --tokens "$user!$token" --roles "$role" --propagate 1
echo "ACL: $role on / for $user and $user!$token"
echo "set proxmox.tokenID to $user!$token in config/clusters/<name>.yaml"
