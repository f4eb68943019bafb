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
ok_if() {  # ok_if NAME COMMAND...: passes when the command succeeds
    local name=$1
    shift
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $name"; fi
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
# INT8 learned decoding (the shipped vae weights and their calibration): -p precision=int8 round-trips, and the
# container records it. (A damaged precision field is tested in tests/codec/learned/test_int8.cpp.)
check "encode vae int8" 0 "$LMC" encode -c vae -p rate=0.1 -p precision=int8 "$sample" "$work/v8.lmc"
ok_if "vae int8 stream says so" grep -q 'precision=int8' "$work/out.txt"
check "decode vae int8" 0 "$LMC" decode "$work/v8.lmc" "$work/v8.exr"
# Above the refinement start rate (payload version 3: flagged blocks, the vectorised reconstruction): round trip,
# the same texels with 1 and 2 threads, and a truncated or damaged stream is refused (exit 2). The container's length
# and checksum catch these before the refinement parser runs; damaged refinement payloads behind a valid checksum
# are tested in tests/codec/learned (DamagedRefinementLayersAreErrorsOrFiniteTexels).
check "encode vae int8 rate 0.6" 0 "$LMC" encode -c vae -p rate=0.6 -p precision=int8 "$sample" "$work/v8r.lmc"
check "decode vae int8 rate 0.6" 0 "$LMC" decode --float --threads 1 "$work/v8r.lmc" "$work/v8r1.exr"
check "decode vae int8 rate 0.6, 2 threads" 0 "$LMC" decode --float --threads 2 "$work/v8r.lmc" "$work/v8r2.exr"
ok_if "vae int8 rate 0.6 decodes identically with 1 and 2 threads" cmp -s "$work/v8r1.exr" "$work/v8r2.exr"
v8r_size=$(stat -c %s "$work/v8r.lmc")
head -c $((v8r_size - 9)) "$work/v8r.lmc" >"$work/v8r_trunc.lmc"
check "decode truncated vae int8 rate 0.6 stream" 2 "$LMC" decode "$work/v8r_trunc.lmc" "$work/t.exr"
one_line_stderr "decode truncated vae int8 rate 0.6 stream"
cp "$work/v8r.lmc" "$work/v8r_flip.lmc"
printf '\x5a' | dd of="$work/v8r_flip.lmc" bs=1 seek=$((v8r_size - 40)) conv=notrunc status=none
check "decode damaged vae int8 rate 0.6 stream" 2 "$LMC" decode "$work/v8r_flip.lmc" "$work/t.exr"
# A stream made with the calibration the current one replaced (kept as vae.lmcw.int8.1) still decodes, to the same
# texels as with that calibration installed as the current one; without it the stream is refused (exit 2).
earlier="$work/earlier_int8"
mkdir -p "$earlier"
cp "$LMC_SOURCE_DIR/resources/models/vae.lmcw" "$earlier/"
cp "$LMC_SOURCE_DIR/resources/models/vae.lmcw.int8.1" "$earlier/vae.lmcw.int8"
check "encode vae int8 (earlier calibration)" 0 env LMC_MODEL_DIR="$earlier" "$LMC" encode -c vae -p rate=0.1 \
    -p precision=int8 "$sample" "$work/v8old.lmc"
check "decode earlier-calibration stream there" 0 env LMC_MODEL_DIR="$earlier" "$LMC" decode --float "$work/v8old.lmc" \
    "$work/v8old_there.exr"
check "decode earlier-calibration stream" 0 "$LMC" decode --float "$work/v8old.lmc" "$work/v8old.exr"
ok_if "earlier-calibration stream decodes to the same texels" cmp -s "$work/v8old_there.exr" "$work/v8old.exr"
cp "$LMC_SOURCE_DIR/resources/models/vae.lmcw.int8" "$earlier/vae.lmcw.int8"
check "earlier-calibration stream without it" 2 env LMC_MODEL_DIR="$earlier" "$LMC" decode "$work/v8old.lmc" \
    "$work/v8old_refused.exr"
# The peers: standard files (.jxl, .avif, .exr, .j2k) that decode back to the original size; truncated ones fail
# with exit 2 (libjxl may print its own trace lines too, so only the last stderr line is ours).
for spec in "jxl jxl -p distance=2" "avif avif -p quality=60 -p speed=9" "exr exr -p level=100" "exr exr -p compression=piz" \
    "j2k j2k -p rate=1"; do
    read -r codec ext params <<<"$spec"
    check "encode $codec $params" 0 "$LMC" encode -c "$codec" $params "$sample" "$work/peer.$ext"
    check "decode $codec $params" 0 "$LMC" decode "$work/peer.$ext" "$work/peer_out.exr"
    "$LMC" info "$work/peer_out.exr" | grep '^size' >"$work/size_peer.txt"
    "$LMC" info "$sample" | grep '^size' >"$work/size_in.txt"
    check "$codec decodes to the original size" 0 cmp -s "$work/size_in.txt" "$work/size_peer.txt"
    head -c 300 "$work/peer.$ext" >"$work/peer_trunc.$ext"
    check "decode truncated $codec" 2 "$LMC" decode "$work/peer_trunc.$ext" "$work/t.exr"
    if tail -n 1 "$work/err.txt" | grep -q '^lmc: '; then passed=$((passed + 1)); else
        failed=$((failed + 1)); echo "FAIL truncated $codec: no lmc: message"; cat "$work/err.txt"; fi
done
check "j2k as jp2 refused" 1 "$LMC" encode -c j2k "$sample" "$work/peer.jp2"
check "jxl as exr refused" 1 "$LMC" encode -c jxl "$sample" "$work/peer2.exr"
# BC6H with zstd: a .dds.zst that decodes to exactly the texels of the plain DDS.
check "encode bc6h zstd" 0 "$LMC" encode -c bc6h -p quality=fast -p supercompression=zstd "$sample" "$work/z.dds.zst"
check "bc6h zstd as dds refused" 1 "$LMC" encode -c bc6h -p supercompression=zstd "$sample" "$work/z.dds"
check "encode bc6h plain" 0 "$LMC" encode -c bc6h -p quality=fast "$sample" "$work/z.dds"
check "decode bc6h zstd" 0 "$LMC" decode --float "$work/z.dds.zst" "$work/z1.exr"
check "decode bc6h plain" 0 "$LMC" decode --float "$work/z.dds" "$work/z2.exr"
check "bc6h zstd texels equal plain" 0 cmp -s "$work/z1.exr" "$work/z2.exr"
ok_if_smaller() { if [ "$(stat -c %s "$1")" -lt "$(stat -c %s "$2")" ]; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL $1 is not smaller than $2"; fi; }
ok_if_smaller "$work/z.dds.zst" "$work/z.dds"
# BC6H at half resolution writes our .lmc container (original size inside); a .dds name for it is refused.
check "encode bc6h half" 0 "$LMC" encode -c bc6h -p resolution=half -p quality=fast "$sample" "$work/h.lmc"
check "bc6h half as dds" 1 "$LMC" encode -c bc6h -p resolution=half "$sample" "$work/h.dds"
one_line_stderr "bc6h half as dds"
check "bc6h full as lmc" 1 "$LMC" encode -c bc6h -p quality=fast "$sample" "$work/f.lmc"
check "decode bc6h half" 0 "$LMC" decode "$work/h.lmc" "$work/h.exr"
"$LMC" info "$sample" | grep '^size' >"$work/size_in.txt"
"$LMC" info "$work/h.exr" | grep '^size' >"$work/size_out.txt"
check "bc6h half decodes to the original size" 0 cmp -s "$work/size_in.txt" "$work/size_out.txt"

check "eval sweep" 0 "$LMC" eval -c jpeg --sweep quality=50:90:20 --csv "$work/e.csv" "$sample"
expect_text "eval header" "$work/e.csv" '^file,codec,params,bytes,bpp,mpsnr,logpsnr,pu21psnr,ssim,encode_ms,decode_ms'
if [ "$(wc -l <"$work/e.csv")" -eq 4 ]; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL eval rows: expected 3 rows + header"; cat "$work/e.csv"; fi
# Higher quality must give more bytes and a higher mPSNR on the sample.
if awk -F, 'NR>1 { if (NR>2 && ($4 <= b || $6 <= m)) bad=1; b=$4; m=$6 } END { exit bad }' "$work/e.csv"; then
    passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL eval monotone:"; cat "$work/e.csv"; fi
check "eval chain" 0 "$LMC" eval -c jpeg -p quality=80 --gpu-format bc6h:fast --csv "$work/chain.csv" "$sample"
expect_text "chain columns" "$work/chain.csv" '^file,.*,vram_bpp,gpu_format,gpu_mpsnr,gpu_logpsnr,gpu_pu21psnr,load_ms$'
expect_text "chain row" "$work/chain.csv" ',8\.0000,bc6h:fast,[0-9.]+,[0-9.]+,[0-9.]+,[0-9.]+$'
check "eval native chain" 0 "$LMC" eval -c bc6h -p quality=fast --gpu-format astc:8x8 "$sample"
expect_text "bc6h is its own chain" "$work/out.txt" ',8\.0000,native,[0-9.]+,[0-9.]+,[0-9.]+,$'
check "eval bad gpu format" 1 "$LMC" eval -c jpeg --gpu-format bc7 "$sample"
one_line_stderr "eval bad gpu format"
check "eval to stdout" 0 "$LMC" eval -c jpeg "$sample"
expect_text "eval stdout csv" "$work/out.txt" '^file,codec,params'
check "eval bad sweep" 1 "$LMC" eval -c jpeg --sweep quality=1:2 "$sample"
# Metrics count the visible texels (charts + their one-texel ring) unless --mask says otherwise; the CSV says which.
expect_text "eval mask column" "$work/e.csv" '^file,codec,params,bytes,bpp,mpsnr,logpsnr,pu21psnr,ssim,encode_ms,decode_ms,rmse,max_abs_error,width,height,covered_fraction,mask,vram_bpp$'
expect_text "eval default mask" "$work/e.csv" ',visible,$'
check "eval mask covered" 0 "$LMC" eval -c bc6h -p quality=fast --mask covered --csv "$work/e_cov.csv" "$sample"
expect_text "eval covered + vram bpp" "$work/e_cov.csv" ',covered,8\.0000$'
check "eval mask all" 0 "$LMC" eval -c jpeg --mask all --csv "$work/e_all.csv" "$sample"
expect_text "eval all" "$work/e_all.csv" ',all,$'
check "eval list sweep" 0 "$LMC" eval -c jpeg --sweep quality=30,90 --csv "$work/e_list.csv" "$sample"
if [ "$(grep -c 'quality=' "$work/e_list.csv")" -eq 2 ] && grep -q 'quality=30;' "$work/e_list.csv" &&
    grep -q 'quality=90;' "$work/e_list.csv"; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL eval list sweep rows:"; cat "$work/e_list.csv"; fi
check "eval bad list sweep" 1 "$LMC" eval -c jpeg --sweep quality=30,,90 "$sample"
check "eval bad mask" 1 "$LMC" eval -c jpeg --mask charts "$sample"
check "report refuses mixed masks" 2 "$LMC" report --anchor jpeg "$work/e.csv" "$work/e_cov.csv"
expect_text "mixed masks named" "$work/err.txt" 'evaluate every codec with the same --mask'
check "eval missing file" 2 "$LMC" eval -c jpeg "$work/none.exr"

# Presets and `lmc apply`.
check "preset create" 0 "$LMC" preset create -c jpeg -p quality=60 --target mobile --measure "$sample" "$work/p.json"
expect_text "preset format" "$work/p.json" '"format": "lmc-preset"'
expect_text "preset metrics" "$work/p.json" '"mpsnr": [0-9]+\.'
check "preset show" 0 "$LMC" preset show "$work/p.json"
expect_text "preset show params" "$work/out.txt" '^params +quality=60;chroma=420'
expect_text "preset show target" "$work/out.txt" '^target +mobile'
check "preset create over existing" 1 "$LMC" preset create -c jpeg "$work/p.json"
mkdir -p "$work/in/sub"
cp "$sample" "$work/in/a.exr"
cp "$sample" "$work/in/sub/b.exr"
check "apply folder" 0 "$LMC" apply --preset "$work/p.json" --out "$work/outA" --metrics "$work/apply.csv" "$work/in"
ok_if "apply wrote both" test -s "$work/outA/a.lmc" -a -s "$work/outA/sub/b.lmc"
expect_text "apply summary" "$work/out.txt" '2 ok, 0 failed'
expect_text "apply progress" "$work/err.txt" '^\[2/2\] .*b\.exr -> .*outA/sub/b\.lmc: [0-9]+ bytes'
expect_text "apply csv" "$work/apply.csv" '^file,codec,params,bytes,bpp,mpsnr,logpsnr,pu21psnr,ssim,encode_ms,decode_ms'
if [ "$(wc -l <"$work/apply.csv")" -eq 3 ]; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL apply csv rows"; cat "$work/apply.csv"; fi
"$LMC" encode -c jpeg -p quality=60 "$sample" "$work/ref.lmc" >/dev/null 2>&1
ok_if "apply equals encode" cmp -s "$work/ref.lmc" "$work/outA/sub/b.lmc"
check "apply existing outputs" 1 "$LMC" apply --preset "$work/p.json" --out "$work/outA" "$work/in"
one_line_stderr "apply existing outputs"
check "apply overwrite" 0 "$LMC" apply --preset "$work/p.json" --out "$work/outA" --overwrite "$work/in"
head -c 3000 "$sample" >"$work/in/sub/c.exr"
check "apply corrupt among good" 2 "$LMC" apply --preset "$work/p.json" --out "$work/outB" "$work/in"
ok_if "apply others still written" test -s "$work/outB/a.lmc" -a -s "$work/outB/sub/b.lmc" -a ! -e "$work/outB/sub/c.lmc"
expect_text "apply names the failure" "$work/err.txt" 'sub/c\.exr: FAILED: '
expect_text "apply failure summary" "$work/err.txt" '^lmc: 1 of 3 file\(s\) failed$'
expect_text "apply failure counts" "$work/out.txt" '2 ok, 1 failed'
rm "$work/in/sub/c.exr"
cp "$sample" "$work/x.lmc"
check "apply onto its input" 1 "$LMC" apply --preset "$work/p.json" --out "$work" "$work/x.lmc"
one_line_stderr "apply onto its input"
ok_if "apply input untouched" cmp -s "$sample" "$work/x.lmc"
mkdir -p "$work/outL"
ln -sf "$work/in/a.exr" "$work/outL/a.lmc"
check "apply onto a link to its input" 1 "$LMC" apply --preset "$work/p.json" --out "$work/outL" --overwrite "$work/in/a.exr"
ok_if "apply linked input untouched" cmp -s "$sample" "$work/in/a.exr"
check "apply metrics onto the preset" 1 "$LMC" apply --preset "$work/p.json" --out "$work/outM" --metrics "$work/p.json" "$work/in"
check "apply beside its inputs" 0 "$LMC" apply --preset "$work/p.json" --out "$work/in" "$work/in"
ok_if "apply beside inputs kept them" cmp -s "$sample" "$work/in/sub/b.exr"
head -c 120 "$work/p.json" >"$work/trunc.json"
check "apply truncated preset" 2 "$LMC" apply --preset "$work/trunc.json" --out "$work/outC" "$work/in"
one_line_stderr "apply truncated preset"
expect_text "truncated preset position" "$work/err.txt" 'line [0-9]+, column [0-9]+'
sed 's/"jpeg"/"webp"/' "$work/p.json" >"$work/webp.json"
check "apply unknown codec" 2 "$LMC" apply --preset "$work/webp.json" --out "$work/outC" "$work/in"
expect_text "unknown codec named" "$work/err.txt" "unknown codec 'webp'"
sed 's/"quality": 60/"quality": 500/' "$work/p.json" >"$work/range.json"
check "apply out-of-range preset" 2 "$LMC" apply --preset "$work/range.json" --out "$work/outC" "$work/in"
expect_text "out of range named" "$work/err.txt" 'params\.quality: 500 is out of range 1\.\.100'
check "apply exr as preset" 2 "$LMC" apply --preset "$sample" --out "$work/outC" "$work/in"
ok_if "bad presets wrote nothing" test ! -e "$work/outC"

# Quality-targeted presets: the rate parameter is searched per file. Fixtures: the sample and a small baked night map
# (JPEG-HDR 4:2:0 at quality 100: about 42.7 and 37.9 dB mPSNR; 4:4:4 reaches about 49 dB on both).
mkdir -p "$work/sin/sub"
cp "$sample" "$work/sin/a.exr"
check "bake solve fixture" 0 "$LMC" bake --size 128 --preview --seed 3 --style night "$work/sin/sub/b.exr"
check "preset create solve" 0 "$LMC" preset create -c jpeg -p chroma=444 --solve mpsnr=30 "$work/s30.json"
expect_text "solve preset version" "$work/s30.json" '"version": 2'
expect_text "solve preset member" "$work/s30.json" '"metric": "mpsnr"'
check "preset show solve" 0 "$LMC" preset show "$work/s30.json"
expect_text "preset show solve line" "$work/out.txt" '^solve +mpsnr=30 '
check "preset create bad solve metric" 1 "$LMC" preset create -c jpeg --solve psnr=30 "$work/bad.json"
one_line_stderr "preset create bad solve metric"
check "preset create bad solve value" 1 "$LMC" preset create -c jpeg --solve mpsnr=abc "$work/bad.json"
ok_if "bad solve wrote no preset" test ! -e "$work/bad.json"
# Every file reaches the target; the CSV says so, with the solved setting, the target and the probes.
check "apply solve" 0 "$LMC" apply --preset "$work/s30.json" --out "$work/sout" --metrics "$work/s30.csv" "$work/sin"
ok_if "apply solve wrote both" test -s "$work/sout/a.lmc" -a -s "$work/sout/sub/b.lmc"
expect_text "apply solve csv columns" "$work/s30.csv" ',output,target,target_reached,rate_param,rate_value,probes,solve_ms$'
ok_if "apply solve every file >= target" awk -F, 'NR > 1 { n++; if ($6 < 30 || $20 != "mpsnr=30" || $21 != "yes" || $22 != "quality" || $3 != "quality=" $23 ";chroma=444") bad = 1 }
    END { exit (n == 2 && !bad) ? 0 : 1 }' "$work/s30.csv"
expect_text "apply solve progress" "$work/err.txt" 'mpsnr [0-9.]+ dB for mpsnr=30 \(reached\), quality=[0-9]+, [0-9]+ probes, [0-9]+ ms$'
# The written stream is the solved setting's: encoding the file with it gives the same bytes.
solved=$(awk -F, 'NR > 1 && $1 ~ /b\.exr$/ { print $23 }' "$work/s30.csv")
check "encode at the solved setting" 0 "$LMC" encode -c jpeg -p "quality=$solved" -p chroma=444 "$work/sin/sub/b.exr" "$work/solved_b.lmc"
ok_if "apply solve equals encode" cmp -s "$work/solved_b.lmc" "$work/sout/sub/b.lmc"
# A target the night map cannot reach: both written (it at its best), named, exit 2 at the end.
check "preset create solve 40" 0 "$LMC" preset create -c jpeg -p chroma=420 --solve mpsnr=40 "$work/s40.json"
check "apply solve unreachable" 2 "$LMC" apply --preset "$work/s40.json" --out "$work/sout40" --metrics "$work/s40.csv" "$work/sin"
ok_if "apply unreachable still wrote both" test -s "$work/sout40/a.lmc" -a -s "$work/sout40/sub/b.lmc"
expect_text "apply unreachable named" "$work/err.txt" 'sub/b\.exr -> .*NOT reached: its best'
expect_text "apply unreachable summary" "$work/err.txt" '^lmc: 1 of 2 file\(s\) did not reach mpsnr=40 \(written at their best\)$'
expect_text "apply unreachable counts" "$work/out.txt" '2 ok, 0 failed, .*1 below target'
ok_if "apply unreachable csv" awk -F, 'NR > 1 { if ($1 ~ /a\.exr$/) ok = ($6 >= 40 && $21 == "yes"); else miss = ($6 < 40 && $21 == "no" && $23 == 100) }
    END { exit (ok && miss) ? 0 : 1 }' "$work/s40.csv"
# A bitrate budget: every file within it.
check "preset create solve bpp" 0 "$LMC" preset create -c jpeg --solve bpp=1.5 "$work/sbpp.json"
check "apply solve bpp" 0 "$LMC" apply --preset "$work/sbpp.json" --out "$work/soutb" --metrics "$work/sbpp.csv" "$work/sin"
ok_if "apply solve bpp within budget" awk -F, 'NR > 1 { n++; if ($5 > 1.5 || $5 < 1.2 || $21 != "yes") bad = 1 } END { exit (n == 2 && !bad) ? 0 : 1 }' "$work/sbpp.csv"
# A preset with a chain: the same stream as without, the chain's columns in --metrics equal to `lmc eval
# --gpu-format`; a bad value is a usage error for create (as for eval) and a bad preset (exit 2) for apply.
check "preset create chain" 0 "$LMC" preset create -c jpeg -p quality=60 --gpu-format bc6h:fast "$work/chain.json"
expect_text "chain preset member" "$work/chain.json" '"gpu_format": "bc6h:fast"'
check "preset show chain" 0 "$LMC" preset show "$work/chain.json"
expect_text "preset show chain line" "$work/out.txt" '^gpu format +bc6h:fast '
check "apply chain" 0 "$LMC" apply --preset "$work/chain.json" --out "$work/cout" --metrics "$work/chainapply.csv" "$work/sin"
expect_text "apply chain csv columns" "$work/chainapply.csv" ',vram_bpp,gpu_format,gpu_mpsnr,gpu_logpsnr,gpu_pu21psnr,load_ms,output$'
expect_text "apply chain progress" "$work/err.txt" 'through bc6h:fast mPSNR [0-9.]+ dB, load [0-9]+ ms'
check "encode without the chain" 0 "$LMC" encode -c jpeg -p quality=60 "$work/sin/a.exr" "$work/chain_a.lmc"
ok_if "apply chain writes the stored stream" cmp -s "$work/chain_a.lmc" "$work/cout/a.lmc"
check "eval the same chain" 0 "$LMC" eval -c jpeg -p quality=60 --gpu-format bc6h:fast --csv "$work/chaineval.csv" "$work/sin/a.exr"
ok_if "apply chain metrics equal eval" awk -F, 'FNR == 1 { next } NR == FNR { if ($1 ~ /a\.exr$/) { a = $18 "|" $19 "|" $20 "|" $21 } next }
    { e = $18 "|" $19 "|" $20 "|" $21 } END { exit (a != "" && a == e && a ~ /^8(\.0+)?\|bc6h:fast\|[0-9.]+\|/) ? 0 : 1 }' "$work/chainapply.csv" "$work/chaineval.csv"
check "preset create bad chain" 1 "$LMC" preset create -c jpeg --gpu-format bc7 "$work/badchain.json"
one_line_stderr "preset create bad chain"
ok_if "bad chain wrote no preset" test ! -e "$work/badchain.json"
sed 's/"bc6h:fast"/"astc:7x7"/' "$work/chain.json" >"$work/badchain2.json"
check "apply bad chain" 2 "$LMC" apply --preset "$work/badchain2.json" --out "$work/coutbad" "$work/sin"
one_line_stderr "apply bad chain"
expect_text "apply bad chain named" "$work/err.txt" "gpu_format: GPU format 'astc:7x7'"
ok_if "apply bad chain wrote nothing" test ! -e "$work/coutbad"
# With --measure the snapshot is the solved point on that map, and its setting becomes the search's start.
check "preset create solve measure" 0 "$LMC" preset create -c jpeg --solve mpsnr=35 --measure "$sample" "$work/s35.json"
ok_if "solve snapshot reaches the target" awk -F': ' '/"mpsnr":/ { m = $2 + 0 } /"quality":/ { q = $2 + 0 } END { exit (m >= 35 && q != 75) ? 0 : 1 }' "$work/s35.json"

# lmc report: BD-rate tables from synthetic eval CSVs. "half" is bc6h at half the rate (-50.0%), "plus1" is bc6h
# plus 1 dB at the same rates (+1.00 dB), "one" has a single setting (n/a with a note).
evalrow() {  # evalrow FILE CODEC PARAMS BPP MPSNR
    printf '%s,%s,%s,1000,%s,%s,40.0,%s,0.99,1.0,1.0,0.01,0.1,64,64,1.0\n' "$1" "$2" "$3" "$4" "$5" "$5"
}
evalheader='file,codec,params,bytes,bpp,mpsnr,logpsnr,pu21psnr,ssim,encode_ms,decode_ms,rmse,max_abs_error,width,height,covered_fraction'
{
    echo "$evalheader"
    for f in a.exr b.exr; do
        off=0; [ "$f" = b.exr ] && off=2
        for pt in "r=1 0.5 30" "r=2 1 34" "r=3 2 37" "r=4 4 39"; do
            read -r setting bpp db <<<"$pt"
            evalrow "$f" bc6h "$setting" "$bpp" "$((db + off))"
        done
    done
} >"$work/bd_anchor.csv"
{
    echo "$evalheader"
    for f in a.exr b.exr; do
        off=0; [ "$f" = b.exr ] && off=2
        for pt in "r=1 0.25 0.5 30" "r=2 0.5 1 34" "r=3 1 2 37" "r=4 2 4 39"; do
            read -r setting halfbpp bpp db <<<"$pt"
            evalrow "$f" half "$setting" "$halfbpp" "$((db + off))"
            evalrow "$f" plus1 "$setting" "$bpp" "$((db + off + 1))"
        done
        evalrow "$f" one "q=1" 2 36
        # bc6h's curve plus a setting that another beats with fewer bits: n/a as it is, bc6h's curve as a front.
        for pt in "r=1 0.5 30" "r=2 1 34" "r=2.5 1.5 33" "r=3 2 37" "r=4 4 39"; do
            read -r setting bpp db <<<"$pt"
            evalrow "$f" bumpy "$setting" "$bpp" "$((db + off))"
        done
        # A curve that grazes bc6h's top by 0.2 dB: too small an overlap for a BD figure (n/a, as in the app).
        evalrow "$f" graze "r=1" 8 "$((38 + off)).8"
        evalrow "$f" graze "r=2" 16 "$((45 + off))"
    done
} >"$work/bd_test.csv"
check "report" 0 "$LMC" report --anchor bc6h --versus half --out-csv "$work/bd.csv" --markdown "$work/bd.md" \
    "$work/bd_anchor.csv" "$work/bd_test.csv"
expect_text "report half -50%" "$work/out.txt" '^half +-50\.0% +\+[0-9.]+ dB +2 +-50\.0% +\+[0-9.]+ dB$'
expect_text "report plus1 +1 dB" "$work/out.txt" '^plus1 +-[0-9.]+% +\+1\.00 dB +2 +-[0-9.]+% +\+1\.00 dB$'
expect_text "report per file" "$work/out.txt" '^half +b\.exr +-50\.0% '
expect_text "report single rate n/a" "$work/out.txt" '^one +n/a \[[0-9]+\] +n/a \[[0-9]+\] +2 '
expect_text "report n/a reason" "$work/out.txt" '^\[[0-9]+\] one vs bc6h, a\.exr: test curve has 1 distinct point'
expect_text "report versus" "$work/out.txt" '^bc6h +\+100\.0% '
expect_text "report csv" "$work/bd.csv" '^bc6h,half,mpsnr,pchip,mean_curve,,2,-50\.0000,2,'
expect_text "report csv file rows" "$work/bd.csv" '^half,bc6h,mpsnr,pchip,file,a\.exr,1,100\.0000,1,'
expect_text "report csv n/a" "$work/bd.csv" '^bc6h,one,mpsnr,pchip,file,b\.exr,1,,0,,0,.*1 distinct point'
expect_text "report markdown" "$work/bd.md" '^\| half \| -50\.0% \| '
expect_text "report non-monotone n/a" "$work/out.txt" '^bumpy +n/a \[[0-9]+\] '
expect_text "report sliver n/a" "$work/out.txt" '^graze +n/a \[[0-9]+\] +n/a \[[0-9]+\] +2 +n/a'
expect_text "report sliver reason" "$work/out.txt" 'graze vs bc6h, a\.exr: BD-rate: the curves share only 38\.80[^0-9]+39\.00 dB of quality \(at least 0\.5 dB'
check "report pareto" 0 "$LMC" report --pareto --out-csv "$work/bdp.csv" "$work/bd_anchor.csv" "$work/bd_test.csv"
expect_text "report pareto bumpy" "$work/out.txt" '^bumpy +[-+]0\.0% +[-+]0\.00 dB +2 +[-+]0\.0% '
expect_text "report pareto half" "$work/out.txt" '^half +-50\.0% '
expect_text "report pareto csv" "$work/bdp.csv" '^bc6h,bumpy,mpsnr,pchip\+pareto,mean_curve,,2,-?0\.0000,'
check "report poly3" 0 "$LMC" report --method poly3 --metric pu21psnr "$work/bd_anchor.csv" "$work/bd_test.csv"
expect_text "report poly3 half" "$work/out.txt" '^half +-50\.0% '
check "report missing anchor" 2 "$LMC" report "$work/bd_test.csv"
one_line_stderr "report missing anchor"
expect_text "report names codecs" "$work/err.txt" "no rows of codec 'bc6h'.*half, plus1, one"
check "report bad metric" 1 "$LMC" report --metric ssim "$work/bd_anchor.csv"
check "report no input" 1 "$LMC" report
check "report onto its input" 1 "$LMC" report --out-csv "$work/bd_test.csv" "$work/bd_anchor.csv" "$work/bd_test.csv"
head -c 200 "$work/bd_test.csv" >"$work/bd_trunc.csv"
# SERIES=CSV: the anchor's own CSV again, as a curve of its own, lies on the anchor (0%).
check "report series" 0 "$LMC" report --anchor bc6h "$work/bd_anchor.csv" "again=$work/bd_anchor.csv"
expect_text "report series on the anchor" "$work/out.txt" '^again +[-+]?0\.0% +[-+]?0\.00 dB +2 '
check "report series onto its input" 1 "$LMC" report --out-csv "$work/bd_anchor.csv" "x=$work/bd_anchor.csv"
check "report truncated csv" 2 "$LMC" report "$work/bd_anchor.csv" "$work/bd_trunc.csv"
one_line_stderr "report truncated csv"
expect_text "report truncated line" "$work/err.txt" 'bd_trunc\.csv: line 3: '
check "report same rows twice" 2 "$LMC" report "$work/bd_anchor.csv" "$work/bd_anchor.csv"

# Learned codecs: a few training steps on a small crop of the sample, then the same CLI as every codec.
# (Tiny and untrained: this proves the pipeline, not the quality.)
models="$work/models"
mkdir -p "$models"
export OMP_WAIT_POLICY=PASSIVE
if [ "${LMC_WITH_TORCH:-1}" = 1 ]; then
    check "train vae" 0 "$LMC" train --family vae --data "$sample" --out "$models/vae.lmcw" --steps 3 --batch 2 \
        --patch 64 --threads 1 --quiet
    expect_text "train reports steps" "$work/out.txt" '^trained 3 steps'
    # LibTorch is a plugin (codec/learned/torch_backend.h): training maps it, nothing else on a CPU-only LibTorch does.
    check "train maps the LibTorch plugin" 0 env LD_DEBUG=files "$LMC" train --family vae --data "$sample" \
        --out "$models/ld.lmcw" --steps 1 --batch 1 --patch 64 --threads 1 --quiet
    expect_text "train loaded liblmc_torch" "$work/err.txt" 'file=.*liblmc_torch\.so'
    check "codecs maps no LibTorch" 0 env LD_DEBUG=files "$LMC" codecs
    ok_if "codecs loaded no libtorch" bash -c '! grep -q "file=.*libtorch" "$1"' _ "$work/err.txt"
    check "vae eval maps no LibTorch" 0 env LD_DEBUG=files LMC_MODEL_DIR="$models" "$LMC" eval -c vae -p rate=0.3 \
        "$sample"
    ok_if "vae eval loaded no libtorch" bash -c '! grep -q "file=.*libtorch" "$1"' _ "$work/err.txt"
    ok_if "train wrote a checkpoint" test -s "$models/vae.lmcw.ckpt"
    ok_if "train wrote a log" grep -q '^step,elapsed_s,loss,bpp' "$models/vae.lmcw.log.csv"
    check "train resume" 0 "$LMC" train --family vae --data "$sample" --out "$models/vae.lmcw" --steps 2 --batch 2 \
        --patch 64 --threads 1 --quiet --resume "$models/vae.lmcw.ckpt"
    expect_text "resumed step count" "$work/out.txt" '^trained 2 steps \(5 in total\)'
    check "train gan from vae" 0 "$LMC" train --family gan --init "$models/vae.lmcw" --data "$sample" \
        --out "$models/gan.lmcw" --steps 2 --batch 2 --patch 64 --threads 1 --quiet --ssim-weight 0.15
    check "train ssim weight on vae" 1 "$LMC" train --family vae --data "$sample" --out "$models/v3.lmcw" --steps 1 \
        --ssim-weight 0.15 --quiet
    expect_text "ssim weight is gan only" "$work/err.txt" 'ssim-weight applies to --family gan only'
    check "train gan without init" 1 "$LMC" train --family gan --data "$sample" --out "$models/g2.lmcw" --steps 1 --quiet
    check "train bad family" 1 "$LMC" train --family cnn --data "$sample" --out "$models/x.lmcw"
    head -c 1000 "$models/vae.lmcw.ckpt" >"$models/broken.ckpt"
    check "train damaged checkpoint" 2 "$LMC" train --family vae --data "$sample" --out "$models/v2.lmcw" --steps 1 \
        --resume "$models/broken.ckpt" --quiet
    one_line_stderr "train damaged checkpoint"
else
    # Built without the LibTorch plugin (-DLMC_WITH_TORCH=OFF): training says so; the shipped models still code.
    check "train without LibTorch" 2 "$LMC" train --family vae --data "$sample" --out "$models/vae.lmcw" --steps 1
    one_line_stderr "train without LibTorch"
    expect_text "train names the plugin" "$work/err.txt" 'liblmc_torch\.so'
    cp "$LMC_SOURCE_DIR"/resources/models/*.lmcw "$models/"
fi
check "encode vae" 0 env LMC_MODEL_DIR="$models" "$LMC" encode -c vae -p rate=0.5 "$sample" "$work/v.lmc"
check "decode vae 1 thread" 0 env LMC_MODEL_DIR="$models" "$LMC" decode --float --threads 1 "$work/v.lmc" "$work/v1.exr"
check "decode vae other ISA" 0 env LMC_MODEL_DIR="$models" ONEDNN_MAX_CPU_ISA=AVX2 "$LMC" decode --float --threads 2 \
    "$work/v.lmc" "$work/v2.exr"
ok_if "vae decodes identically (threads, oneDNN ISA)" cmp -s "$work/v1.exr" "$work/v2.exr"
check "eval vae" 0 env LMC_MODEL_DIR="$models" "$LMC" eval -c vae --sweep rate=0:1:0.5 "$sample"
expect_text "eval vae rows" "$work/out.txt" ',vae,rate=1;precision=fp32,'
check "encode gan" 0 env LMC_MODEL_DIR="$models" "$LMC" encode -c gan -p rate=0.2 "$sample" "$work/g.lmc"
check "decode gan" 0 env LMC_MODEL_DIR="$models" "$LMC" decode "$work/g.lmc" "$work/g.exr"
if [ "${LMC_WITH_TORCH:-1}" = 1 ]; then  # the stream's weights (trained above) differ from the shipped ones
    check "vae stream with other weights" 2 env LMC_MODEL_DIR="$work/nomodels" "$LMC" decode \
        "$work/v.lmc" "$work/v3.exr"
    one_line_stderr "vae stream with other weights"
fi
head -c 3000 "$models/vae.lmcw" >"$work/nomodels_vae.lmcw"
mkdir -p "$work/badmodels" && mv "$work/nomodels_vae.lmcw" "$work/badmodels/vae.lmcw"
check "damaged weights" 2 env LMC_MODEL_DIR="$work/badmodels" "$LMC" decode "$work/v.lmc" "$work/v4.exr"
expect_text "damaged weights named" "$work/err.txt" 'badmodels/vae\.lmcw'
unset OMP_WAIT_POLICY

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
