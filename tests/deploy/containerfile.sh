#!/bin/sh
# Lints deploy/Containerfile where no container engine can build it: the stages and instructions
# the deployment relies on are there, and the runtime stage installs the package of every shared
# library the binary links (so a new dependency cannot be forgotten there).
# Usage: containerfile.sh CONTAINERFILE [MICROALIGN_BINARY]
set -u
file=$1
binary=${2:-}
failed=0
fail() { echo "Containerfile: $*"; failed=1; }

[ -r "$file" ] || { echo "cannot read $file"; exit 1; }
# Instructions with their continuation lines joined, comments dropped.
instructions=$(sed -e '/^[[:space:]]*#/d' "$file" | sed -e ':a' -e '/\\$/N; s/\\\n/ /; ta')
runtime=$(printf '%s\n' "$instructions" | awk '/^FROM /{n++} n==2')

has() { printf '%s\n' "$instructions" | grep -Eq "$1" || fail "$2"; }
runtime_has() { printf '%s\n' "$runtime" | grep -Eq "$1" || fail "$2"; }

[ "$(printf '%s\n' "$instructions" | grep -c '^FROM ')" -eq 2 ] || fail "wants exactly two stages (build, run)"
has '^FROM debian:bookworm-slim AS build$' "the first stage must be 'FROM debian:bookworm-slim AS build'"
printf '%s\n' "$instructions" | grep '^FROM ' | sed -n 2p | grep -Eq '^FROM debian:bookworm-slim$' ||
  fail "the runtime stage must be FROM debian:bookworm-slim"
has '^RUN .*deploy/install-deps\.sh' "the build stage must install the build dependencies with deploy/install-deps.sh"
has '^RUN .*deploy/build\.sh [^ ]+ Release .*-DMICROALIGN_TESTS=OFF' "the build must be Release, without tests"
runtime_has '^COPY --from=build .*/microalign /usr/local/bin/microalign$' "the runtime stage must copy the binary from the build stage"
runtime_has '^USER [a-z_][a-z0-9_-]*$' "the runtime stage must switch to a named user"
user=$(printf '%s\n' "$runtime" | grep '^USER ' | tail -n 1 | cut -d' ' -f2)
case "$user" in root | 0 | 0:*) fail "the runtime user must not be root" ;; esac
printf '%s\n' "$runtime" | awk '/^USER /{u=1} u && /^RUN /{exit 1}' || fail "no RUN after USER: the image is prepared as root, run as $user"
runtime_has '^VOLUME .*"/var/lib/microalign"' "the database directory must be a volume"
runtime_has '^ENV .*MICROALIGN_DB=/var/lib/microalign/' "MICROALIGN_DB must be on the volume"
runtime_has '^ENV .*MICROALIGN_HTTP_ADDR=0\.0\.0\.0:3978' "the listener must be on 0.0.0.0:3978 inside the container"
runtime_has '^EXPOSE 3978$' "EXPOSE 3978"
runtime_has '^HEALTHCHECK .*CMD .*/healthz' "HEALTHCHECK must ask /healthz"
runtime_has '^ENTRYPOINT \["/usr/local/bin/microalign"\]$' "the entry point must be the binary, so 'docker run IMAGE doctor' works"
runtime_has '^CMD \["run"\]$' "the default command must be run"
root=$(cd "$(dirname "$file")/.." && pwd)
for copied in deploy/install-deps.sh deploy/build.sh; do
  [ -x "$root/$copied" ] || fail "$copied, which the build runs, is missing or not executable"
done

# Every shared library the binary needs comes from a package the runtime stage installs, or from
# the base image.
[ -z "$binary" ] || [ -x "$binary" ] || fail "no binary at $binary"
if [ -x "$binary" ] && command -v objdump >/dev/null && command -v dpkg >/dev/null; then
  installed=$(printf '%s\n' "$runtime" | grep '^RUN .*apt-get install' | tr ' ' '\n')
  for soname in $(objdump -p "$binary" | awk '/NEEDED/ {print $2}'); do
    path=$(ldconfig -p | awk -v so="$soname" '$1 == so {print $NF; exit}')
    package=$( (dpkg -S "$path" 2>/dev/null || dpkg -S "/usr$path" 2>/dev/null || dpkg -S "${path#/usr}" 2>/dev/null) |
      head -n 1 | cut -d: -f1)
    case "$package" in
      "") fail "no package owns $soname ($path)" ;;
      libc6 | libgcc-s1 | libstdc++6) ;;  # in debian:bookworm-slim
      libasan8 | libubsan1) ;;  # a sanitized test build's (CI's); the image's build is never sanitized
      *) printf '%s\n' "$installed" | grep -qx "$package" || fail "the binary links $soname: install $package in the runtime stage" ;;
    esac
  done
else
  echo "note: no binary given, or objdump or dpkg missing: the runtime libraries were not checked"
fi

[ $failed -eq 0 ] && echo "deploy/Containerfile: ok (linted, not built)"
exit $failed
