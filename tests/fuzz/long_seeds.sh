#!/usr/bin/env bash
# Writes long, repetitive seeds (16–64 KB) into DIR. libFuzzer's default length control keeps
# inputs small for a long while (a 24-minute run stayed under 200 bytes and never met the known
# bugs: a quadratic URL reader, a stack overflow on deep JSON), so the shapes that cost the most
# per byte are given to it from the start. Usage: long_seeds.sh DIR
set -euo pipefail
dir=${1:?corpus directory}

repeat() {  # repeat TEXT COUNT
  local i
  for ((i = 0; i < $2; i++)); do printf '%s' "$1"; done
}

repeat 'http://&lt;' 4096 >"$dir/long-url-entity"
repeat 'http://<' 4096 >"$dir/long-url-angle"
{ printf 'see http://x.io/'; repeat '(' 32768; } >"$dir/long-open-parens"
{ printf 'see http://x.io/a'; repeat ')' 32768; } >"$dir/long-close-parens"
repeat 'https://x.io/a ' 4096 >"$dir/long-urls"
repeat '&amp;' 8192 >"$dir/long-entities"
repeat '&lt;!channel&gt; ' 2048 >"$dir/long-escaped-broadcasts"
repeat '<!channel><!here><!subteam^S1|@t>' 1024 >"$dir/long-broadcasts"
repeat '<@U0123ABCD> ' 4096 >"$dir/long-user-mentions"
repeat '<@U0123ABCD|bob' 4096 >"$dir/long-unclosed-mentions"
repeat '<' 65536 >"$dir/long-angles"
repeat '[' 65536 >"$dir/deep-arrays"
repeat '{"a":' 8192 >"$dir/deep-objects"
{ printf '{"envelope_id":"e","type":"events_api","payload":'; repeat '[' 32768; } >"$dir/deep-envelope"
{ printf '{"type":"message","text":"'; repeat '<at>Ana</at> &amp; ' 2048; printf '"}'; } >"$dir/long-teams-text"
for ((i = 1; i <= 5000; i++)); do printf 'ENG-%d ' "$i"; done >"$dir/many-tickets"
for ((i = 1; i <= 1500; i++)); do printf 'https://github.com/acme/web/issues/%d ' "$i"; done >"$dir/many-ticket-urls"
repeat 'acme/web#1 ' 4096 >"$dir/many-github-refs"
{ printf 'owner ENG-1 '; repeat $'\x01U1\x01 ' 8192; } >"$dir/long-owner-spans"
{ printf 'Bearer '; repeat 'eyJhbGciOiJSUzI1NiJ9.' 2048; } >"$dir/long-token"
