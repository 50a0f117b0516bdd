#!/usr/bin/env bash
# Builds mediasoup's C++ worker from the npm tarball's own sources against Debian's libraries
# (no downloads from GitHub, no pip, no meson wraps). Needs: meson ninja-build libuv1-dev libssl-dev
# libsrtp2-dev libusrsctp-dev libabsl-dev flatbuffers-compiler libflatbuffers-dev pkg-config g++.
#
# The binary is cached by mediasoup version + a hash of this script and patches/mediasoup/*, so a
# second run prints the cached path at once. Prints the worker's path as its last line.
# Use it as MEDIASOUP_WORKER_BIN (mediasoup then skips its own download at install and at run time).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VERSION="${MEDIASOUP_VERSION:-3.19.3}"
PATCHES="$ROOT/patches/mediasoup"
RECIPE_HASH="$(cat "$0" "$PATCHES"/*.patch | sha256sum | cut -c1-12)"
CACHE_ROOT="${RADACAST_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/radacast}"
OUT_DIR="$CACHE_ROOT/mediasoup-worker-$VERSION-$RECIPE_HASH"
OUT="$OUT_DIR/mediasoup-worker"

if [ -x "$OUT" ]; then
  echo "mediasoup worker $VERSION already built (cached)" >&2
  echo "$OUT"
  exit 0
fi

WORK="$CACHE_ROOT/build-mediasoup-$VERSION-$RECIPE_HASH"
rm -rf "$WORK"
mkdir -p "$WORK"

# Sources: the npm tarball (from npm's cache when it is there), else an installed copy.
if (cd "$WORK" && npm pack "mediasoup@$VERSION" --prefer-offline --silent >/dev/null 2>&1); then
  tar -xzf "$WORK"/mediasoup-"$VERSION".tgz -C "$WORK"
  SRC="$WORK/package/worker"
elif [ -f "$ROOT/node_modules/mediasoup/package.json" ] &&
  grep -q "\"version\": \"$VERSION\"" "$ROOT/node_modules/mediasoup/package.json"; then
  cp -r "$ROOT/node_modules/mediasoup/worker" "$WORK/worker"
  SRC="$WORK/worker"
else
  echo "cannot get mediasoup $VERSION sources (npm pack failed, node_modules has none)" >&2
  exit 1
fi

cd "$SRC"
for p in "$PATCHES"/*.patch; do
  patch -p1 --quiet <"$p"
done
# Debian bookworm has meson 1.0.1; the worker builds with it although meson.build asks for 1.1.0.
sed -i "s/meson_version: '>= 1.1.0'/meson_version: '>= 1.0.0'/" meson.build

# meson.build calls subproject() directly, so --wrap-mode=nofallback is not enough: replace each
# wrap by a local subproject of the same name that hands back Debian's library. link_whole needs a
# static library target, so each also declares an empty one.
rm -f subprojects/*.wrap
subproject() { # name, meson body, [meson_options.txt: the options meson.build passes it]
  mkdir -p "subprojects/$1"
  : >"subprojects/$1/empty.c"
  printf "project('%s', 'c', 'cpp')\nplaceholder = static_library('%s_placeholder', 'empty.c')\n%s\n" "$1" "$1" "$2" \
    >"subprojects/$1/meson.build"
  printf "%s\n" "${3:-}" >"subprojects/$1/meson_options.txt"
}
boolean() { printf "option('%s', type: 'boolean', value: false)\n" "$@"; }
text() { printf "option('%s', type: 'string', value: '')\n" "$@"; }
subproject openssl "openssl_dep = dependency('openssl')
libcrypto_lib = placeholder
libssl_lib = placeholder"
subproject libuv "libuv_dep = dependency('libuv')
libuv = placeholder" "$(boolean build_tests build_benchmarks)"
subproject libsrtp3 "libsrtp3_dep = dependency('libsrtp2')
libsrtp3 = placeholder" "$(text crypto-library crypto-library-kdf tests)"
subproject usrsctp "usrsctp_dep = dependency('usrsctp')
usrsctp = placeholder" "$(boolean sctp_build_programs)"
subproject abseil-cpp "absl_container_dep = dependency('absl_flat_hash_map', 'absl_flat_hash_set')
absl_strings_dep = dependency('absl_strings')
absl_types_dep = declare_dependency(dependencies: [dependency('absl_optional'), dependency('absl_variant'), dependency('absl_span')])
absl_container_lib = placeholder"
subproject flatbuffers "flatbuffers_dep = dependency('flatbuffers')
flatbuffers_lib = placeholder"
# The worker's own tests need catch2 v3 (Debian has v2); they are not built.
subproject catch2 "catch2_dep = declare_dependency()"

meson setup build --buildtype=release --wrap-mode=nodownload -Dms_disable_liburing=true >"$WORK/meson.log" 2>&1 ||
  { tail -40 "$WORK/meson.log" >&2; exit 1; }
# The generated FlatBuffers headers are one custom target whose output is a directory, so ninja
# cannot see that sources depend on them: build them first.
ninja -C build fbs/FBS >&2
ninja -C build mediasoup-worker >&2

mkdir -p "$OUT_DIR"
cp build/mediasoup-worker "$OUT.tmp"
strip "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
rm -rf "$WORK"
echo "$OUT"
