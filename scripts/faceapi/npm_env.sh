# shellcheck shell=bash
# Sourced by make_fixture.sh, make_detect_fixture.sh and the bench peers: installs the pinned face-api and tfjs npm packages
# into a folder of the caller's choosing (never into the repository's tracked files). Nothing here
# is needed by personrec itself; only the reference scripts use these packages.
#   faceapi_install DIR   -> DIR/node_modules holds @vladmandic/face-api 1.7.15, @tensorflow/tfjs
#                            4.22.0 (pure-JS cpu backend) and @tensorflow/tfjs-backend-wasm 4.22.0
#                            (the versions face-api 1.7.15's dist was built against); returns
#                            non-zero when npm fails (no npm, no network).
# face-api's dist/face-api.node-wasm.js needs only these two tfjs packages; no native build
# (tfjs-node) and no install scripts are run.
FACEAPI_VERSION=1.7.15
TFJS_VERSION=4.22.0

faceapi_installed() { # DIR
    [ -f "$1/node_modules/@vladmandic/face-api/package.json" ] &&
        grep -q "\"version\": \"$FACEAPI_VERSION\"" "$1/node_modules/@vladmandic/face-api/package.json" &&
        [ -f "$1/node_modules/@tensorflow/tfjs-backend-wasm/package.json" ]
}

faceapi_install() { # DIR
    local dir=$1
    faceapi_installed "$dir" && return 0
    command -v npm >/dev/null || { echo "npm not found" >&2; return 1; }
    mkdir -p "$dir" || return 1
    [ -f "$dir/package.json" ] || echo '{"private": true}' >"$dir/package.json"
    (cd "$dir" &&
        npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
            "@vladmandic/face-api@$FACEAPI_VERSION" "@tensorflow/tfjs@$TFJS_VERSION" \
            "@tensorflow/tfjs-backend-wasm@$TFJS_VERSION" >&2) || return 1
    faceapi_installed "$dir"
}

# For the bench peers: node and the packages in CACHE, installed if need be; otherwise the peer is
# skipped: {"skipped":"<why>"} on stdout, the note on stderr, exit 77.
faceapi_peer_prepare() { # NAME CACHE
    local why=
    if ! command -v node >/dev/null; then
        why="node not found"
    elif ! faceapi_installed "$2"; then
        if ! command -v npm >/dev/null; then
            why="npm not found"
        elif ! faceapi_install "$2"; then
            why="npm could not install @vladmandic/face-api@$FACEAPI_VERSION (no network?)"
        fi
    fi
    [ -z "$why" ] && return 0
    printf '{"skipped":"%s"}\n' "$why"
    echo "$1: skipped: $why" >&2
    exit 77
}
