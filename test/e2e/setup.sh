#!/usr/bin/env bash
# Installs what the end-to-end tests need, and nothing that is already there:
#   1. Debian packages: chromium (the browser Playwright drives), libkrb5-dev (code-server's kerberos
#      module builds against it), ripgrep (VS Code's file search; seeds @vscode/ripgrep's download).
#   2. The ripgrep download cache that @vscode/ripgrep's postinstall reads before it tries github.com.
#   3. The pinned code-server in test/e2e/code-server-host (npm ci from the committed lockfile).
# Safe to run again: each step checks first. Works offline apart from apt and the npm registry.
# docs/testing.md, section 1, explains why each environment variable is needed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
host="$here/code-server-host"
log() { printf '[e2e-setup] %s\n' "$*"; }
die() { printf '[e2e-setup] error: %s\n' "$*" >&2; exit 1; }

command -v node >/dev/null || die "node is not on PATH (Node 20 is required)"
command -v npm >/dev/null || die "npm is not on PATH"

# --- 1. Debian packages ---------------------------------------------------------------------------
missing=()
for pkg in chromium libkrb5-dev ripgrep; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "need root (or sudo) to apt-get install ${missing[*]}"
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  # The lock timeout lets this wait for another apt run instead of failing at once.
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"
else
  log "Debian packages present: chromium libkrb5-dev ripgrep"
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing after installing chromium"
rg_bin="$(command -v rg || true)"
[ -n "$rg_bin" ] || die "rg is missing after installing ripgrep"

# --- 2. ripgrep download cache --------------------------------------------------------------------
# @vscode/ripgrep's postinstall (run by code-server's own postinstall inside lib/vscode, so it is not
# in our lockfile) looks for this archive in os.tmpdir() before downloading from GitHub. code-server
# 4.99.4 pins @vscode/ripgrep 1.15.11, which fetches rg v13.0.0-10.
rg_pkg_version=1.15.11
case "$(uname -m)" in
  x86_64) rg_target=x86_64-unknown-linux-musl ;;
  aarch64 | arm64) rg_target=aarch64-unknown-linux-musl ;;
  *) die "unsupported machine $(uname -m) for the ripgrep cache seed" ;;
esac
rg_cache="$(node -p "require('os').tmpdir()")/vscode-ripgrep-cache-$rg_pkg_version"
rg_archive="$rg_cache/ripgrep-v13.0.0-10-$rg_target.tar.gz"
if [ -s "$rg_archive" ]; then
  log "ripgrep cache seeded: $rg_archive"
else
  log "seeding ripgrep cache with $rg_bin: $rg_archive"
  mkdir -p "$rg_cache"
  tar czf "$rg_archive.tmp" -C "$(dirname "$rg_bin")" "$(basename "$rg_bin")"
  mv "$rg_archive.tmp" "$rg_archive"
fi

# --- 3. code-server -------------------------------------------------------------------------------
stamp="$host/node_modules/.netpol-lens-setup"
lock_sum="$(sha256sum "$host/package-lock.json" | cut -d' ' -f1)"
cs_bin="$host/node_modules/.bin/code-server"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ] && [ -x "$cs_bin" ]; then
  log "code-server already installed from this lockfile"
else
  log "installing code-server with npm ci in $host (takes about 2 minutes)"
  env_vars=(npm_config_unsafe_perm=true npm_config_yes=true)
  # Headers for node-gyp: use the installed ones (Debian's nodejs-dev / libnode-dev) so nothing is
  # downloaded from nodejs.org.
  for d in /usr /usr/local; do
    if [ -f "$d/include/node/node.h" ]; then env_vars+=("npm_config_nodedir=$d"); break; fi
  done
  started=$(date +%s)
  (cd "$host" && env "${env_vars[@]}" npm ci --no-audit --no-fund)
  printf '%s\n' "$lock_sum" >"$stamp"
  log "npm ci took $(($(date +%s) - started)) s"
fi

# code-server writes ~/.config/code-server unless it gets its own config file and XDG dirs.
check_root="$(mktemp -d)"
trap 'rm -rf "$check_root"' EXIT
printf 'auth: none\n' >"$check_root/config.yaml"
version="$(XDG_CONFIG_HOME="$check_root" XDG_DATA_HOME="$check_root" XDG_CACHE_HOME="$check_root" \
  "$cs_bin" --version --config "$check_root/config.yaml" 2>&1 | grep -m1 '^4\.' || true)"
case "$version" in
  "4.99.4 "*) log "code-server $version" ;;
  *) die "code-server --version did not report 4.99.4 (got '$version'); remove $host/node_modules and rerun" ;;
esac
log "done"
