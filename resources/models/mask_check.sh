#!/usr/bin/env bash
# Does every codec code the texels a bilinear lookup shows? Each codec at its highest setting, measured over the
# visible texels (charts + one-texel ring) and over the covered texels only; prints per codec the mean and the
# worst (most negative) difference visible - covered of log-PSNR and mPSNR over the files, and writes the CSVs.
#   resources/models/mask_check.sh BUILD_DIR LIGHTMAP_DIR OUT_DIR
# e.g. resources/models/mask_check.sh build/release ../shared/lightmaps/real /tmp/mask_check
set -euo pipefail
build=${1:?build dir}
maps=${2:?lightmap dir}
out=${3:?output dir}
lmc="$build/app/lmc"
mkdir -p "$out"
threads=${THREADS:-2}
settings=(
    "jpeg -p quality=100 -p chroma=444"
    "bc6h -p quality=high"
    "astc -p block=4x4 -p preset=medium"
    "jxl -p distance=0.05"
    "avif -p quality=100"
    "exr -p level=1"
    "j2k -p rate=16"
    "ae -p rate=1"
    "vae -p rate=1"
    "gan -p rate=1"
)
printf '%-6s %8s %10s %10s %10s %10s\n' codec files "mean dlog" "worst dlog" "mean dmPSNR" "worst dmP"
for s in "${settings[@]}"; do
    read -r codec rest <<<"$s"
    for mask in visible covered; do
        # shellcheck disable=SC2086
        "$lmc" eval -c "$codec" $rest --mask "$mask" --threads "$threads" --csv "$out/${codec}_$mask.csv" "$maps" \
            >/dev/null 2>>"$out/stderr.txt"
    done
    # Columns by header name; rows pair up by file.
    awk -F, -v codec="$codec" '
        FNR == 1 { for (i = 1; i <= NF; ++i) col[$i] = i; next }
        FILENAME ~ /_visible\.csv$/ { vlog[$1] = $col["logpsnr"]; vm[$1] = $col["mpsnr"]; next }
        { if (!($1 in vlog)) next
          d = vlog[$1] - $col["logpsnr"]; dm = vm[$1] - $col["mpsnr"]
          n++; sum += d; summ += dm
          if (n == 1 || d < worst) worst = d
          if (n == 1 || dm < worstm) worstm = dm }
        END { printf "%-6s %8d %+10.2f %+10.2f %+10.2f %+10.2f\n", codec, n, sum / n, worst, summ / n, worstm }
    ' "$out/${codec}_visible.csv" "$out/${codec}_covered.csv"
done
