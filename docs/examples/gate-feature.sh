#!/bin/sh
# Runs a command only while the licence agent allows a feature:
#   gate-feature.sh FEATURE COMMAND [ARG...]
# FEATURE allowed: the command replaces this script (its exit status is the command's own).
# FEATURE denied: exit 1, with a line on stderr. The agent cannot be asked: exit 2.
# ELA_URL (or the CLI's other connection settings) says where the agent listens; ELA_CLI replaces
# the command that asks it (default: edge-license-agent; split on spaces, e.g. "node dist/bin/main.js").
if [ "$#" -lt 2 ]; then
  echo "usage: gate-feature.sh FEATURE COMMAND [ARG...]" >&2
  exit 2
fi
feature=$1
shift
# The exit status is kept at once: after `if ...; then ...; fi` whose branch did not run, $? is 0.
# shellcheck disable=SC2086 # ELA_CLI is a command line, split into words on purpose
${ELA_CLI:-edge-license-agent} check "$feature" >/dev/null
rc=$?
case $rc in
  0) exec "$@" ;;
  1)
    echo "$feature is not licensed on this device" >&2
    exit 1
    ;;
  *)
    echo "cannot ask the licence agent about $feature (check exited $rc)" >&2
    exit 2
    ;;
esac
