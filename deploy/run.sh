#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs the bot:
#   SLACK_APP_TOKEN=xapp-… SLACK_BOT_TOKEN=xoxb-… deploy/run.sh
# (See README.md for the Slack app set-up and every configuration variable.)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/deploy/install-deps.sh"
"$here/deploy/build.sh" "$here/build/release" Release -DMICROALIGN_TESTS=OFF
exec "$here/build/release/microalign" run
