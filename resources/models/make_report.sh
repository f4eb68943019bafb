#!/usr/bin/env bash
# Rate-distortion report of every codec on the held-out real lightmaps: eval CSVs (metrics over the visible texels:
# charts plus the one-texel ring bilinear filtering shows), the RD plot (PNG) drawn with the project's chart code, and
# the Bjøntegaard tables (as measured, and on each codec's Pareto front) against BC6H, JPEG-HDR, AVIF and JPEG XL.
# Needs a build with the GUI (for the plot):
#   resources/models/make_report.sh BUILD_DIR VALIDATION_DIR OUT_DIR
# e.g. resources/models/make_report.sh build/release ../data/real_val resources/models/report
# VALIDATION_DIR holds the 4 held-out files named in README.md (symlinks to ../shared/lightmaps/real/).
set -euo pipefail
build=${1:?build dir}
val=${2:?validation dir}
out=${3:?output dir}
lmc="$build/app/lmc"
studio="$build/app/studio/lmstudio"
mkdir -p "$out"
threads=${THREADS:-2}
ev() {  # name codec args...
    local name=$1 codec=$2
    shift 2
    "$lmc" eval -c "$codec" "$@" --mask visible --threads "$threads" --csv "$out/$name.csv" "$val" > /dev/null
    echo "eval $name done"
}
# The peers a game team would pick (JPEG XL, AVIF, OpenEXR DWAB, JPEG 2000) at their default effort, with
# settings spread over the same 0.1-10 bpp range as the rest.
ev jxl jxl --sweep distance=0.05,0.1,0.2,0.35,0.5,0.75,1,1.5,2,3,5
ev avif avif --sweep quality=20,40,55,65,75,85,90,95,98,100
ev exr exr --sweep level=2000,1000,500,300,200,100,45,20,5
ev exr_piz exr -p compression=piz
ev j2k j2k --sweep rate=0.1,0.2,0.4,0.7,1,1.5,2.5,4,6,8
ev jpeg jpeg --sweep quality=10:100:10
ev bc6h bc6h -p quality=high --sweep resolution=quarter:full:1
ev bc6h_zstd bc6h -p quality=high -p supercompression=zstd --sweep resolution=quarter:full:1
ev bc6h_max bc6h -p quality=max
ev astc astc -p preset=fast --sweep block=12x12:4x4:1
for f in ae vae gan; do ev "$f" "$f" --sweep rate=0:1:0.1; done
# The same codecs with their classical stage switched off: rates up to 0.2 set the networks' own rate and add no
# refinement layer (learned_codec.h kRefinementStartRate), so this is what the learning alone reaches. Curves of
# their own in the tables and the plot through SERIES=CSV ("vae-networks").
for f in ae vae gan; do ev "${f}_networks" "$f" --sweep rate=0:0.2:0.025; done
# The per-map optimised codec at its default effort (6000 strided steps; a sweep's later rates warm-start from the
# nearest finished one): about 8 minutes per megapixel on 2 cores.
# It has no classical stage: its networks and latents are the whole stream.
ev overfit overfit --sweep rate=0,0.2,0.4,0.6,0.9
# bc6h_zstd and exr_piz share their codec id with bc6h / exr, so they are separate reports' inputs, not curves here.
all=("$out"/jxl.csv "$out"/avif.csv "$out"/exr.csv "$out"/j2k.csv "$out"/jpeg.csv "$out"/bc6h.csv "$out"/astc.csv
     "$out"/ae.csv "$out"/vae.csv "$out"/gan.csv "$out"/overfit.csv
     ae-networks="$out"/ae_networks.csv vae-networks="$out"/vae_networks.csv gan-networks="$out"/gan_networks.csv)
# Each metric as measured, and on each codec's Pareto front (--pareto): JPEG-HDR's mPSNR does not rise
# monotonically with its quality, so plain BD-rate against it is n/a on most files; the front keeps only the
# settings a user would pick.
for pair in logpsnr:log mpsnr:mpsnr pu21psnr:pu21; do
    metric=${pair%%:*} short=${pair#*:}
    for front in "" --pareto; do
        name="bd_$short${front:+_pareto}"
        "$lmc" report $front --anchor avif --versus jxl --versus bc6h --versus jpeg --metric "$metric" \
            --markdown "$out/$name.md" --out-csv "$out/$name.csv" "${all[@]}" > "$out/$name.txt"
    done
done
QT_QPA_PLATFORM=offscreen "$studio" --rd-plot "$out/rd.png" --rd-metric both "${all[@]}"
echo "report in $out"
