#!/usr/bin/env bash
# End-to-end tests of the `lmc` command line: exit codes, messages, the eval CSV contract, round trips.
# Usage: LMC=/path/to/lmc LMC_SOURCE_DIR=/repo run_cli_tests.sh WORKDIR
set -uo pipefail
work=${1:?work dir}
rm -rf "$work" && mkdir -p "$work"
sample="$LMC_SOURCE_DIR/resources/sample_lightmap.exr"
passed=0
failed=0

check() {  # check NAME EXPECTED_STATUS COMMAND...
    local name=$1 expected=$2
    shift 2
    "$@" >"$work/out.txt" 2>"$work/err.txt"
    local status=$?
    if [ "$status" -eq "$expected" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $name: exit $status, expected $expected"
        sed 's/^/  stdout: /' "$work/out.txt" | head -5
        sed 's/^/  stderr: /' "$work/err.txt" | head -5
    fi
}
expect_text() {  # expect_text NAME FILE PATTERN
    if grep -qE -- "$3" "$2"; then passed=$((passed + 1)); else
        failed=$((failed + 1))
        echo "FAIL $1: '$3' not found in $2:"
        head -5 "$2" | sed 's/^/  /'
    fi
}
one_line_stderr() {  # failures print exactly one line
    if [ "$(wc -l <"$work/err.txt")" -eq 1 ] && grep -q '^lmc: ' "$work/err.txt"; then passed=$((passed + 1)); else
        failed=$((failed + 1))
        echo "FAIL $1: stderr is not one 'lmc:' line:"
        sed 's/^/  /' "$work/err.txt"
    fi
}

check "help" 0 "$LMC" help
check "no command" 1 "$LMC"
check "unknown command" 1 "$LMC" frobnicate
one_line_stderr "unknown command"
check "codecs" 0 "$LMC" codecs
expect_text "codecs lists jpeg" "$work/out.txt" '^jpeg'
expect_text "codecs lists quality range" "$work/out.txt" 'quality +int +1\.\.100 +default 75 +\[rate\]'

check "info" 0 "$LMC" info "$sample"
expect_text "info size" "$work/out.txt" '^size +[0-9]+ x [0-9]+'
expect_text "info covered" "$work/out.txt" '^covered +[0-9.]+%'
check "info missing file" 2 "$LMC" info "$work/nope.exr"
one_line_stderr "info missing file"
printf '\x89PNG\r\n\x1a\n0000000000000000' >"$work/fake.exr"
check "info png renamed exr" 2 "$LMC" info "$work/fake.exr"
one_line_stderr "info png renamed exr"

check "encode jpeg" 0 "$LMC" encode -c jpeg -p quality=80 -p chroma=444 "$sample" "$work/a.lmc"
check "decode jpeg" 0 "$LMC" decode "$work/a.lmc" "$work/a.exr"
check "info of decoded" 0 "$LMC" info "$work/a.exr"
check "encode unknown codec" 1 "$LMC" encode -c nosuch "$sample" "$work/b.lmc"
check "encode bad param" 1 "$LMC" encode -c jpeg -p quality=0 "$sample" "$work/b.lmc"
one_line_stderr "encode bad param"
check "encode unknown param" 1 "$LMC" encode -c jpeg -p speed=3 "$sample" "$work/b.lmc"
check "encode missing args" 1 "$LMC" encode -c jpeg "$sample"
check "encode onto its input" 1 "$LMC" encode -c jpeg "$work/a.exr" "$work/a.exr"
check "encode missing input" 2 "$LMC" encode -c jpeg "$work/none.exr" "$work/b.lmc"
head -c 100 "$work/a.lmc" >"$work/trunc.lmc"
check "decode truncated" 2 "$LMC" decode "$work/trunc.lmc" "$work/t.exr"
one_line_stderr "decode truncated"
cp "$work/a.lmc" "$work/flip.lmc"
printf '\xff' | dd of="$work/flip.lmc" bs=1 seek=200 conv=notrunc status=none
check "decode damaged" 2 "$LMC" decode "$work/flip.lmc" "$work/t.exr"
check "decode not a stream" 2 "$LMC" decode "$work/fake.exr" "$work/t.exr"

check "eval sweep" 0 "$LMC" eval -c jpeg --sweep quality=50:90:20 --csv "$work/e.csv" "$sample"
expect_text "eval header" "$work/e.csv" '^file,codec,params,bytes,bpp,mpsnr,logpsnr,pu21psnr,ssim,encode_ms,decode_ms'
if [ "$(wc -l <"$work/e.csv")" -eq 4 ]; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL eval rows: expected 3 rows + header"; cat "$work/e.csv"; fi
# Higher quality must give more bytes and a higher mPSNR on the sample.
if awk -F, 'NR>1 { if (NR>2 && ($4 <= b || $6 <= m)) bad=1; b=$4; m=$6 } END { exit bad }' "$work/e.csv"; then
    passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL eval monotone:"; cat "$work/e.csv"; fi
check "eval to stdout" 0 "$LMC" eval -c jpeg "$sample"
expect_text "eval stdout csv" "$work/out.txt" '^file,codec,params'
check "eval bad sweep" 1 "$LMC" eval -c jpeg --sweep quality=1:2 "$sample"
check "eval missing file" 2 "$LMC" eval -c jpeg "$work/none.exr"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
