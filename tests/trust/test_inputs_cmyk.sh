#!/bin/bash
# r11: one loader for every command. Before: `detect` (which asks the loader for grey pixels)
# failed on a CMYK JPEG that `label`, `info` and `features` read. Now a CMYK JPEG gives the same
# face in detect, features and label.
. "$(dirname "$0")/lib.sh" "$@"
need /usr/bin/convert
F=$S/azure_face_family/images
A=$(fresh cmyk)
/usr/bin/convert "$F/Family1-Dad1.jpg" -colorspace CMYK "$A/cmyk.jpg" 2>/dev/null
check "the test photo is a CMYK JPEG" bash -c "'$P' info --json '$A/cmyk.jpg' | grep -q jpeg"
"$P" detect "$A/cmyk.jpg" >"$W/detect.csv" 2>"$W/err_detect"
check "detect reads a CMYK JPEG (exit 0)" [ $? = 0 ]
check "detect finds its face" [ "$(tail -n +2 "$W/detect.csv" | wc -l)" -ge 1 ]
"$P" detect "$F/Family1-Dad1.jpg" >"$W/detect_rgb.csv" 2>/dev/null
same_box() { # the first face of two detect CSVs within 5 px (the CMYK round trip shifts colours)
    paste -d, <(sed -n 2p "$1" | cut -d, -f2-5) <(sed -n 2p "$2" | cut -d, -f2-5) |
        awk -F, '{ for (i = 1; i <= 4; i++) { d = $i - $(i + 4); if (d > 5 || d < -5) exit 1 } }
                 END { if (NR != 1) exit 1 }'
}
check "the same face as in the RGB original" same_box "$W/detect.csv" "$W/detect_rgb.csv"
"$P" features "$A/cmyk.jpg" >/dev/null 2>"$W/err_features"
check "features reads it (exit 0)" [ $? = 0 ]
"$P" label "$A" --quiet 2>"$W/err_label"
check "label reads it (exit 0)" [ $? = 0 ]
check "label finds its face" grep -q '^cmyk\.jpg,' "$A/.personrec/people.csv"
finish
