#!/usr/bin/env bash
# Seed corpora for the libFuzzer harnesses in this folder, made from our own baker and encoders (never from files
# outside the repository): one small lightmap baked by `lmc bake`, encoded by `lmc encode` with each codec at a
# couple of settings, then cut into the input shape each harness reads (see the comment atop each fuzz_*.cpp).
# Usage: make_seeds.sh LMC OUTDIR   (LMC: a release `lmc` binary; writes OUTDIR/<harness>/seed_*, replacing OUTDIR)
# Needs only bash and coreutils (od, head, tail).
set -euo pipefail
trap 'echo "make_seeds: failed at line $LINENO" >&2' ERR
lmc=${1:?usage: make_seeds.sh LMC OUTDIR}
out=${2:?usage: make_seeds.sh LMC OUTDIR}
rm -rf "$out"
mkdir -p "$out/work"
work=$out/work

u8()  { od -An -v --endian=little -tu1 -j "$2" -N1 "$1" | tr -d ' \n'; }   # u8 FILE OFFSET
u16() { od -An -v --endian=little -tu2 -j "$2" -N2 "$1" | tr -d ' \n'; }
u32() { od -An -v --endian=little -tu4 -j "$2" -N4 "$1" | tr -d ' \n'; }
byte() { printf "\\$(printf %03o "$1")"; }                                 # byte VALUE: one raw byte to stdout
slice() { head -c "$(($2 + $3))" "$1" | tail -c "$3"; }  # slice FILE OFFSET LENGTH (tail reads all: no SIGPIPE)
seed() { mkdir -p "$out/$1" && cat >"$out/$1/seed_$2"; }                   # seed HARNESS NAME < bytes

# The source: 48x40 texels, 4 samples per texel. raw.exr is uncompressed float (its tail is float texel rows,
# for the harnesses that take raw floats); map.exr is the baker's usual file.
"$lmc" bake --quiet --size 48x40 --spp 4 --float --compression none "$work/raw.exr" >/dev/null
"$lmc" bake --quiet --size 48x40 --spp 4 "$work/map.exr" >/dev/null
enc() {  # enc NAME CODEC [key=value]...
    local name=$1 codec=$2
    shift 2
    local params=()
    for kv in "$@"; do params+=(-p "$kv"); done
    "$lmc" encode -c "$codec" ${params[@]+"${params[@]}"} "$work/map.exr" "$work/$name" >/dev/null
}

# Decoders that take a whole stream as their input.
enc jxl_d1 jxl distance=1 effort=3;      enc jxl_d4 jxl distance=4 effort=7
enc avif_q60 avif quality=60 speed=8;    enc avif_q95 avif quality=95 speed=6
enc j2k_r1 j2k rate=1;                   enc j2k_r4 j2k rate=4
for s in jxl_d1 jxl_d4; do seed fuzz_jxl_decode "$s" <"$work/$s"; done
for s in avif_q60 avif_q95; do seed fuzz_avif_decode "$s" <"$work/$s"; done
for s in j2k_r1 j2k_r4; do seed fuzz_j2k_decode "$s" <"$work/$s"; done

# BC6H: DDS files (both signednesses), the zstd-supercompressed DDS and the half-resolution .lmc container; single
# 16-byte blocks cut from the DDS payloads (after the 128-byte header and the 20-byte DX10 header).
enc bc6h_uf16 bc6h quality=fast;         enc bc6h_sf16 bc6h format=sf16 quality=normal
enc bc6h_zstd bc6h supercompression=zstd; enc bc6h_half bc6h resolution=half
for s in bc6h_uf16 bc6h_sf16 bc6h_zstd bc6h_half; do seed fuzz_bc6h_dds "$s" <"$work/$s"; done
for s in bc6h_uf16 bc6h_sf16; do
    for block in 0 37 70 101; do slice "$work/$s" $((148 + 16 * block)) 16 | seed fuzz_bc6h_block "${s}_$block"; done
done

# BC6H encoder: 16 texels x 3 float32 (rows of raw.exr's float channels), then a control byte (bit 0 signed,
# bits 1-2 the level). An uncompressed scanline chunk is 8 bytes (y, size) + 4 channels x 48 floats.
raw_size=$(stat -c %s "$work/raw.exr")
for row_control in 0:0 7:3 15:5 23:6; do
    row=${row_control%:*} control=${row_control#*:}
    offset=$((raw_size - 192 - row * (8 + 4 * 48 * 4)))
    { slice "$work/raw.exr" "$offset" 192; byte "$control"; } | seed fuzz_bc6h_encoder "row${row}_$control"
done

# exr: an even first byte and a stream (DWAB at two levels, PIZ); an odd first byte, width-1, height-1, a
# parameter byte (bit 0 PIZ, the rest the level) and float texels.
enc exr_dwab45 exr level=45;             enc exr_dwab400 exr level=400
enc exr_piz exr compression=piz
for s in exr_dwab45 exr_dwab400 exr_piz; do { byte 0; cat "$work/$s"; } | seed fuzz_exr_codec "$s"; done
{ byte 1; byte 7; byte 7; byte 3; tail -c 768 "$work/raw.exr"; } | seed fuzz_exr_codec image_8x8_piz
{ byte 1; byte 15; byte 3; byte 2; tail -c 768 "$work/raw.exr"; } | seed fuzz_exr_codec image_16x4_dwab

# Learned codecs: payloads of vae streams (.lmc container, layout in container.h) below and above the refinement
# threshold. fuzz_learned_stream reads width-1, height-1, then the payload. fuzz_learned_refinement reads a mode
# byte (bits 0-2 zero channels, bit 3 fine step, bit 4 two threads, bit 5 the payload version 2 format: lmc writes
# version 3, so those seeds start the older parser on a layer of the newer layout) and a refinement layer, which is
# the payload's tail after the black map counts, the refinement header and the base stream (layout in
# learned_codec.h); its base image is 37 x 149 texels (two stripes), so those seeds come from a map baked at that
# size.
payload() {  # payload FILE: sets start (offset of the container's payload), length, width, height
    local n m
    n=$(u8 "$1" 5)
    m=$(u16 "$1" $((14 + n)))
    start=$((24 + n + m))
    length=$(u32 "$1" $((16 + n + m)))
    width=$(u32 "$1" $((6 + n)))
    height=$(u32 "$1" $((10 + n)))
}
enc vae_r01 vae rate=0.1;                enc vae_r06 vae rate=0.6;      enc vae_r09 vae rate=0.9
for s in vae_r01 vae_r06 vae_r09; do
    payload "$work/$s"
    { byte $(((width - 1) % 256)); byte $(((height - 1) % 256)); slice "$work/$s" "$start" "$length"; } |
        seed fuzz_learned_stream "$s"
done
# fuzz_overfit_decode reads width-1, height-1 (each mod 96), then the payload of an overfit stream.
enc overfit_r02 overfit rate=0.2 iterations=30;  enc overfit_r08 overfit rate=0.8 iterations=30
for s in overfit_r02 overfit_r08; do
    payload "$work/$s"
    { byte $(((width - 1) % 96)); byte $(((height - 1) % 96)); slice "$work/$s" "$start" "$length"; } |
        seed fuzz_overfit_decode "$s"
done
# fuzz_bit_map reads width-1, height-1, then a black map's stream: the map of an overfit stream of a 256 x 256 night
# bake (large black areas, so the encoder carries the map: payload version 2, the map's u32 length at payload + 9).
"$lmc" bake --quiet --size 256x256 --spp 2 --style night "$work/night.exr" >/dev/null
"$lmc" encode -c overfit -p rate=0.5 -p iterations=30 "$work/night.exr" "$work/overfit_night" >/dev/null
payload "$work/overfit_night"
[ "$(u8 "$work/overfit_night" "$start")" = 2 ] || { echo "make_seeds: overfit_night has no black map" >&2; exit 1; }
{ byte 255; byte 255; slice "$work/overfit_night" $((start + 13)) "$(u32 "$work/overfit_night" $((start + 9)))"; } |
    seed fuzz_bit_map overfit_night
"$lmc" bake --quiet --size 37x149 --spp 4 "$work/map.exr" >/dev/null
enc vae_37x149_r06 vae rate=0.6;         enc vae_37x149_r09 vae rate=0.9
for s in vae_37x149_r06 vae_37x149_r09; do
    f=$work/$s
    payload "$f"
    flags=$(u8 "$f" $((start + 14)))
    ((flags & 16)) || { echo "make_seeds: $s has no refinement layer" >&2; exit 1; }
    pos=$((start + 15 + (flags & 1 ? 64 : 0)))
    tail_start=$((pos + 12 + $(u32 "$f" $((pos + 8)))))
    for mode in 0 24 32; do
        { byte "$mode"; slice "$f" "$tail_start" $((start + length - tail_start)); } |
            seed fuzz_learned_refinement "${s}_$mode"
    done
done

rm -rf "$work"
# Every harness must have seeds: a new fuzz_*.cpp needs its lines above.
status=0
for src in "$(dirname "$0")"/fuzz_*.cpp; do
    name=$(basename "$src" .cpp)
    if [ -z "$(ls -A "$out/$name" 2>/dev/null)" ]; then
        echo "make_seeds: no seeds for $name" >&2
        status=1
    fi
done
exit $status
