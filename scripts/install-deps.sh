#!/bin/sh
# Installs what building, running and testing vets needs on a Debian machine,
# skipping what is already there. Run as root (make run / make test call it).
set -eu

packages="gcc make pkg-config meson ninja-build clang libclang-rt-14-dev
libmicrohttpd-dev libsqlite3-dev sqlite3 libjansson-dev libssl-dev libcmocka-dev
libminizip-dev libexpat1-dev libxlsxwriter-dev zlib1g-dev libpq-dev postgresql
chromium fonts-noto-cjk curl
libcurl4-openssl-dev
libqrencode-dev zbar-tools
libreoffice-writer-nogui"

missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

if [ -n "$missing" ]; then
	echo "安装缺少的软件包：$missing"
	if [ "$(id -u)" -ne 0 ]; then
		echo "需要 root 权限安装软件包（或先手动安装上述软件包）" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# The browser tests drive Debian's Chromium through playwright-core (no browser download).
cd "$(dirname "$0")/../tests/browser"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/@axe-core/playwright ]; then
	npm ci --no-audit --no-fund --loglevel=error
fi
