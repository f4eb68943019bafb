#!/usr/bin/env bash
# Lightmap Codec Studio's one set-up script.
#   ./setup.sh           install what is missing from Debian 12's packages (idempotent; root or sudo)
#   ./setup.sh --run     ... then build (release preset) and launch lmstudio on the bundled sample lightmap
#   ./setup.sh --test    ... then build (release preset) and run every test (Qt tests on the offscreen platform)
# Extra arguments after --run are passed to lmstudio (e.g. a lightmap to open).
set -euo pipefail
cd "$(dirname "$0")"
action=${1:-}
case "$action" in
  ""|--run|--test) ;;
  *) echo "usage: ./setup.sh [--run [lmstudio args...] | --test]" >&2; exit 1 ;;
esac
[ $# -gt 0 ] && shift

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-charts-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libqt6opengl6-dev libgl-dev
  libtorch-dev libopenblas0-openmp
  libopenexr-dev libturbojpeg0-dev libastcenc-dev libjxl-dev libavif-dev
  libopenjp2-7-dev libzstd-dev zlib1g-dev nlohmann-json3-dev libcli11-dev
  libgtest-dev libgmock-dev python3  # python3: tests/translations/check_complete.sh reads the .ts XML
  clang libclang-rt-14-dev llvm  # .ci/run: libFuzzer, clang's sanitizer runtimes, llvm-symbolizer for their reports
  qt6-translations-l10n
  xvfb xauth fonts-noto-cjk
)

sudo_cmd=()
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
else
  echo "setup: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install packages" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Debian's LibTorch links the generic BLAS alternative; OpenBLAS (OpenMP flavour) is about 3x faster for our
# convolutions. Pick it as the libblas.so.3 alternative when it is installed.
openblas=/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3
if [ -e "$openblas" ] && command -v update-alternatives >/dev/null; then
  current=$(update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | awk '/^Value:/{print $2}')
  if [ "$current" != "$openblas" ]; then
    ${sudo_cmd[@]+"${sudo_cmd[@]}"} update-alternatives --set libblas.so.3-x86_64-linux-gnu "$openblas" || true
  fi
fi

[ -n "$action" ] || exit 0

# Two parallel jobs fit a 2-core, 24 GiB machine; LibTorch-heavy units take about 1.5 GiB each.
jobs=${LMC_JOBS:-$(nproc)}
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"

if [ "$action" = "--test" ]; then
  export QT_QPA_PLATFORM=offscreen OMP_WAIT_POLICY=PASSIVE
  ctest --preset release -j "$jobs"
  exit $?
fi

app=build/release/app/studio/lmstudio
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$app" "$@"
fi
# No display: run it on a virtual one and keep a screenshot, so the command still shows that the app works.
shot=build/release/lmstudio-screenshot.png
echo "setup: no display found; running lmstudio under Xvfb and saving a screenshot to $shot"
xvfb-run -a -s "-screen 0 1600x1000x24" "$app" "$@" --screenshot "$shot"
echo "setup: screenshot written to $shot"
