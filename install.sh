#!/usr/bin/env bash
# Creates .venv here and installs Helpline into it (editable), with the CPU build of PyTorch.
#   ./install.sh        what `helpline chat` and `helpline serve` need
#   ./install.sh dev    that, and the tools the tests use
#
# PyPI's Linux torch wheel is the multi-GB CUDA build. So torch alone is asked for first with PyTorch's
# CPU wheel index added ($HELPLINE_TORCH_INDEX; set it empty to skip); where that index cannot be reached,
# pip takes torch from the registry it is configured with. constraints-cpu.txt pins the version, which
# both builds satisfy.
set -euo pipefail
cd "$(dirname "$0")"
extras="${1:-}"
torch_index="${HELPLINE_TORCH_INDEX-https://download.pytorch.org/whl/cpu}"

python3 -m venv .venv
if ! .venv/bin/python -c "import torch" 2>/dev/null; then
    .venv/bin/pip install -q --no-deps --retries 0 --timeout 20 -c constraints-cpu.txt \
        ${torch_index:+--extra-index-url "$torch_index"} torch
fi
.venv/bin/pip install -q -c constraints-cpu.txt -e ".${extras:+[$extras]}"
