#!/usr/bin/env bash
# The pull-request gate (contract 11: what reaches main is checked first). The workflow
# .github/workflows/pr-gate.yml runs this script from the BASE branch's checkout, with
# homeport built from the base branch too, so a pull request cannot weaken its own checker.
#
# It runs `homeport check --format github` on the pull request (annotations on the diff),
# renders `homeport flux diff` against the base branch as markdown, and posts it as a comment
# (pull requests from forks get a read-only token: the job summary gets it instead).
# On a Renovate branch it first regenerates the files derived from the cluster definition, so
# a version bump there passes `config.env-drift`, and pushes them back to the branch.
#
# Inputs (environment): GATE_BASE_DIR (base checkout), GATE_PR_DIR (pull-request checkout),
# GITHUB_EVENT_PATH, GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_STEP_SUMMARY;
# HOMEPORT_BIN skips the build (tests). Exit status: that of `homeport check`.
set -euo pipefail

base_dir="$(cd "${GATE_BASE_DIR:?GATE_BASE_DIR names the base branch checkout}" && pwd)"
pr_dir="$(cd "${GATE_PR_DIR:?GATE_PR_DIR names the pull request checkout}" && pwd)"
event="${GITHUB_EVENT_PATH:?GITHUB_EVENT_PATH names the pull_request event payload}"
summary="${GITHUB_STEP_SUMMARY:-/dev/stdout}"
api="${GITHUB_API_URL:-https://api.github.com}"
marker="<!-- homeport:pr-gate -->"

field() { jq -r "$1 // empty" "$event"; }
number="$(field .pull_request.number)"
base_ref="$(field .pull_request.base.ref)"
head_ref="$(field .pull_request.head.ref)"
head_repo="$(field .pull_request.head.repo.full_name)"
base_repo="$(field .pull_request.base.repo.full_name)"
if [ -z "$number" ] || [ -z "$base_ref" ] || [ -z "$head_repo" ] || [ -z "$base_repo" ]; then
  echo "pr_gate: $event is not a pull_request event payload" >&2
  exit 2
fi
# Only refs that are plain branch names reach git and the API (no option or path injection).
case "$base_ref$head_ref" in
  *..*|-*|*[!A-Za-z0-9._/-]*) echo "pr_gate: refusing unusual branch names" >&2; exit 2 ;;
esac

homeport="${HOMEPORT_BIN:-}"
if [ -z "$homeport" ]; then
  echo "::group::build homeport from the base branch"
  swift build -c release --package-path "$base_dir" --product homeport >&2
  homeport="$base_dir/.build/release/homeport"
  echo "::endgroup::"
fi

if [ "$head_repo" = "$base_repo" ] && [[ "$head_ref" == renovate/* ]]; then
  for definition in "$pr_dir"/config/clusters/*.yaml; do
    [ -e "$definition" ] || continue
    name="$(basename "$definition" .yaml)"
    "$homeport" cluster sync --cluster "$name" --repo "$pr_dir"
  done
  if [ -n "$(git -C "$pr_dir" status --porcelain)" ]; then
    git -C "$pr_dir" add -A config cluster
    git -C "$pr_dir" -c user.name="homeport pr-gate" -c user.email="pr-gate@users.noreply.github.com" \
      commit --quiet -m "chore: regenerate files derived from the cluster definition"
    git -C "$pr_dir" push --quiet origin "HEAD:refs/heads/$head_ref"
    echo "pr_gate: regenerated the derived files on $head_ref"
  fi
fi

set +e
"$homeport" check --format github --repo "$pr_dir"
check_status=$?
git -C "$pr_dir" fetch --quiet origin "$base_ref:refs/remotes/origin/$base_ref" 2>/dev/null
diff_text="$("$homeport" flux diff --base "origin/$base_ref" --repo "$pr_dir" 2>&1)"
diff_status=$?
set -e

report="$(mktemp)"
trap 'rm -f "$report"' EXIT
{
  echo "$marker"
  echo "### homeport: Flux diff against \`$base_ref\`"
  echo
  if [ "$check_status" -eq 0 ]; then echo "\`homeport check\`: clean."; else echo "\`homeport check\`: **findings** (see the annotations on the diff)."; fi
  echo
  if [ "$diff_status" -ne 0 ]; then
    echo "\`homeport flux diff\` failed:"
  fi
  echo '```diff'
  printf '%s\n' "$diff_text"
  echo '```'
} > "$report"

if [ "$head_repo" != "$base_repo" ] || [ -z "${GITHUB_TOKEN:-}" ]; then
  # A fork's token cannot comment; the job summary is the one place left.
  cat "$report" >> "$summary"
  echo "pr_gate: pull request from $head_repo; the diff is in the job summary"
else
  auth=(-H "Authorization: Bearer $GITHUB_TOKEN" -H "Accept: application/vnd.github+json")
  body="$(jq -n --rawfile body "$report" '{body: $body}')"
  existing="$(curl -fsS "${auth[@]}" "$api/repos/$base_repo/issues/$number/comments?per_page=100" \
    | jq -r --arg marker "$marker" '[.[] | select(.body | startswith($marker))][0].id // empty')"
  if [ -n "$existing" ]; then
    curl -fsS -X PATCH "${auth[@]}" -d "$body" "$api/repos/$base_repo/issues/comments/$existing" > /dev/null
  else
    curl -fsS -X POST "${auth[@]}" -d "$body" "$api/repos/$base_repo/issues/$number/comments" > /dev/null
  fi
  echo "pr_gate: posted the Flux diff on pull request #$number"
fi
exit "$check_status"
