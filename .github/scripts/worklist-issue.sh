#!/bin/sh
# Open, or update in place, the one issue holding the maintainers' freshness worklist.
# Usage: worklist-issue.sh BODY.md. Needs the forge's CLI (gh) with GH_TOKEN set to the
# workflow's own token, which may write issues and nothing else.
set -eu
title="Freshness worklist"
body="$1"
# The open issue with exactly this title, if there is one (search matches words, not titles).
number=$(gh issue list --state open --search "in:title \"$title\"" --json number,title \
  --jq ".[] | select(.title == \"$title\") | .number" | head -n 1)
if [ -n "$number" ]; then
  gh issue edit "$number" --body-file "$body"
  echo "updated issue #$number"
else
  gh issue create --title "$title" --body-file "$body"
fi
