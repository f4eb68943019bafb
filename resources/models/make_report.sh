#!/usr/bin/env bash
# Rate-distortion report of every codec on the held-out real lightmaps (issue 6): eval CSVs, the RD plot (PNG) drawn
# with the project's chart code, and the Bjøntegaard tables (as measured, and on each codec's Pareto front). Needs a build with the GUI (for the plot):
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
    "$lmc" eval -c "$codec" "$@" --threads "$threads" --csv "$out/$name.csv" "$val" > /dev/null
    echo "eval $name done"
}
ev jpeg jpeg --sweep quality=10:100:10
ev bc6h bc6h -p quality=high --sweep resolution=quarter:full:1
ev bc6h_max bc6h -p quality=max
ev astc astc -p preset=fast --sweep block=12x12:4x4:1
for f in ae vae gan; do ev "$f" "$f" --sweep rate=0:1:0.1; done
all=("$out"/jpeg.csv "$out"/bc6h.csv "$out"/astc.csv "$out"/ae.csv "$out"/vae.csv "$out"/gan.csv)
# Each metric as measured, and on each codec's Pareto front (--pareto): JPEG-HDR's mPSNR does not rise
# monotonically with its quality, so plain BD-rate against it is n/a on most files; the front keeps only the
# settings a user would pick.
for pair in mpsnr:mpsnr pu21psnr:pu21; do
    metric=${pair%%:*} short=${pair#*:}
    for front in "" --pareto; do
        name="bd_$short${front:+_pareto}"
        "$lmc" report $front --anchor bc6h --versus jpeg --metric "$metric" --markdown "$out/$name.md" \
            --out-csv "$out/$name.csv" "${all[@]}" > "$out/$name.txt"
    done
done
QT_QPA_PLATFORM=offscreen "$studio" --rd-plot "$out/rd.png" --rd-metric both "${all[@]}"
echo "report in $out"
