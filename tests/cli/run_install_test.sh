#!/usr/bin/env bash
# The installed layout: `cmake --install` into a prefix, then the installed lmc finds its models and LibTorch plugin
# relative to itself (codec/install_paths.h), also after the whole prefix is moved elsewhere.
# Usage: run_install_test.sh BUILD_DIR WORKDIR
set -uo pipefail
build=${1:?build dir}
work=${2:?work dir}
rm -rf "$work" && mkdir -p "$work"
passed=0
failed=0
ok_if() {  # ok_if NAME COMMAND...
    local name=$1
    shift
    if "$@" >"$work/out.txt" 2>"$work/err.txt"; then passed=$((passed + 1)); else
        failed=$((failed + 1))
        echo "FAIL $name"
        sed 's/^/  /' "$work/out.txt" "$work/err.txt" | head -10
    fi
}

cmake --install "$build" --prefix "$work/prefix" >"$work/install.log" 2>&1 || {
    echo "FAIL cmake --install"
    tail -20 "$work/install.log"
    exit 1
}
sample="$work/prefix/share/lightmap-codec-studio/sample_lightmap.exr"
ok_if "lmc installed" test -x "$work/prefix/bin/lmc"
torch=${LMC_WITH_TORCH:-1}
[ "$torch" = 1 ] && ok_if "plugin installed" test -f "$work/prefix/lib/lightmap-codec-studio/liblmc_torch.so"
ok_if "models installed" test -f "$work/prefix/share/lightmap-codec-studio/models/vae.lmcw"
ok_if "int8 calibrations installed" test -f "$work/prefix/share/lightmap-codec-studio/models/vae.lmcw.int8"
ok_if "earlier int8 calibrations installed" test -f "$work/prefix/share/lightmap-codec-studio/models/vae.lmcw.int8.1"
ok_if "sample installed" test -f "$sample"
ok_if "no report folder installed" test ! -e "$work/prefix/share/lightmap-codec-studio/models/report"

# Moved after installation: everything must be found under the new location.
mv "$work/prefix" "$work/moved"
sample="$work/moved/share/lightmap-codec-studio/sample_lightmap.exr"
lmc="$work/moved/bin/lmc"
"$lmc" --version >"$work/version.txt" 2>&1
ok_if "version names the moved models" grep -q "^models   $work/moved/share/lightmap-codec-studio/models\$" \
    "$work/version.txt"
[ "$torch" = 1 ] && ok_if "version names the moved plugin" \
    grep -q "^libtorch $work/moved/lib/lightmap-codec-studio/liblmc_torch.so" "$work/version.txt"
ok_if "installed vae encodes" env OMP_WAIT_POLICY=PASSIVE "$lmc" encode -c vae -p rate=0.2 "$sample" "$work/v.lmc"
ok_if "installed vae decodes" "$lmc" decode "$work/v.lmc" "$work/v.exr"
if [ "$torch" = 1 ]; then
    # A LibTorch device makes the encoder load the plugin: the installed one, not the build tree's.
    LD_DEBUG=files OMP_WAIT_POLICY=PASSIVE "$lmc" train --family vae --data "$sample" --out "$work/t.lmcw" --steps 1 \
        --batch 1 --patch 64 --threads 1 --quiet >/dev/null 2>"$work/ld.txt"
    ok_if "installed train loads the installed plugin" grep -q "file=$work/moved/lib/lightmap-codec-studio/liblmc_torch.so" \
        "$work/ld.txt"
    ok_if "installed train wrote a model" test -s "$work/t.lmcw"
fi

echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
