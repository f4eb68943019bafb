#!/bin/bash
# Translation completeness: every string the app and widgets mark for translation has a finished Simplified
# Chinese translation. lupdate runs over the sources into a scratch copy of lmstudio_zh_CN.ts (the repository's file
# is never touched), so a new tr() string that nobody translated shows up as an unfinished entry and fails here,
# as does an entry left unfinished or empty in the file itself.
# Usage: check_complete.sh LUPDATE SOURCE_DIR
set -u
lupdate=$1
src=$2
ts=$src/translations/lmstudio_zh_CN.ts
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp "$ts" "$scratch/zh_CN.ts"
if ! "$lupdate" -silent -no-obsolete -locations none -I "$src" "$src/app/studio" "$src/widgets" \
        -ts "$scratch/zh_CN.ts" > "$scratch/lupdate.log" 2>&1; then
    cat "$scratch/lupdate.log"
    echo "FAIL: lupdate could not read the sources"
    exit 1
fi
status=0
report() {  # file label
    python3 - "$1" "$2" <<'PY' || status=1
import sys, xml.etree.ElementTree as ET
path, label = sys.argv[1], sys.argv[2]
bad = []
for ctx in ET.parse(path).getroot().iter('context'):
    name = ctx.findtext('name')
    for m in ctx.iter('message'):
        t = m.find('translation')
        unfinished = t is None or t.get('type') == 'unfinished'
        forms = t.findall('numerusform') if t is not None else []
        empty = t is not None and not (t.text or '').strip() and not any((f.text or '').strip() for f in forms)
        if unfinished or empty:
            bad.append(f"{name}: {m.findtext('source')!r}")
for b in bad:
    print(f"{label}: untranslated {b}")
sys.exit(1 if bad else 0)
PY
}
report "$ts" "translations/lmstudio_zh_CN.ts"
report "$scratch/zh_CN.ts" "sources (lupdate)"
if [ $status -ne 0 ]; then
    echo "FAIL: run the update_translations target and translate the entries above"
    exit 1
fi
echo "OK: every translatable string has a Simplified Chinese translation"
