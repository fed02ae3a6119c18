#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs the bot:
#   SLACK_APP_TOKEN=xapp-… SLACK_BOT_TOKEN=xoxb-… deploy/run.sh
# (See README.md for the Slack app set-up and every configuration variable.) With no Slack or
# Teams credentials set, it starts the local sandbox instead: microalign in your browser.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/deploy/install-deps.sh"
"$here/deploy/build.sh" "$here/build/release" Release -DMICROALIGN_TESTS=OFF

credentials_set=false
for variable in SLACK_APP_TOKEN SLACK_APP_TOKEN_FILE SLACK_BOT_TOKEN SLACK_BOT_TOKEN_FILE MicrosoftAppId; do
  [ -n "${!variable:-}" ] && credentials_set=true
done
if [ "$credentials_set" = false ]; then
  echo "deploy/run.sh: no Slack or Teams credentials are set, so this starts the local sandbox:" \
       "open http://${MICROALIGN_HTTP_ADDR:-127.0.0.1:3978}/ in your browser"
  exec "$here/build/release/microalign" sandbox
fi
exec "$here/build/release/microalign" run
