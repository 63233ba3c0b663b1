#!/usr/bin/env bash
# Usage: need-debian-packages.sh COMMAND "PACKAGE ..."
# Installs Debian's PACKAGEs with apt-get when COMMAND is missing, as root or with sudo;
# otherwise stops with the exact command to run.
set -euo pipefail
command_name=$1
packages=$2
command -v "$command_name" >/dev/null 2>&1 && exit 0
install="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $packages"
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing Debian packages for '$command_name': $packages"
  bash -c "$install"
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "Installing Debian packages for '$command_name' with sudo: $packages"
  sudo bash -c "$install"
else
  echo "error: '$command_name' is missing and cannot be installed without root. Run:" >&2
  echo "  sudo bash -c '$install'" >&2
  exit 1
fi
