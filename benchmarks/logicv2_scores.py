"""OpenSanctions' logic-v2 scores for name pairs, run in an environment of its own.

Not part of the program and imports nothing of it: nomenklatura (MIT) brings PyICU, duckdb,
scikit-learn and its own Textual and SQLAlchemy ranges, which must not meet the program's pinned
ones, so it lives in a separate virtual environment:

    python3 -m venv .venv-logicv2 && .venv-logicv2/bin/pip install -r benchmarks/requirements-logicv2.txt

benchmarks/screening_quality.py runs this file with that environment's Python (found at
.venv-logicv2/, or named by DUEDILIGENCE_LOGICV2_PYTHON) and sends it the pairs as JSON lines on
standard input ([schema, name1, name2]); it prints one score per pair, in order, as JSON lines,
and first a line naming the nomenklatura version.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version


def main() -> None:
    """Score every pair read from standard input with logic-v2 and print the scores."""
    from followthemoney import StatementEntity, UndefinedDataset, model  # type: ignore[import-not-found]
    from nomenklatura.matching import get_algorithm  # type: ignore[import-not-found]
    from nomenklatura.matching.types import ScoringConfig  # type: ignore[import-not-found]

    algorithm = get_algorithm("logic-v2")
    if algorithm is None:
        sys.exit("nomenklatura has no logic-v2 here")
    config = ScoringConfig.defaults()
    print(json.dumps({"nomenklatura": version("nomenklatura")}), flush=True)
    for number, line in enumerate(sys.stdin):
        schema, name1, name2 = json.loads(line)
        schema = schema if schema in model.schemata else "LegalEntity"
        query, candidate = (
            StatementEntity.from_data(
                UndefinedDataset, {"id": key, "schema": schema, "properties": {"name": [name]}}
            )
            # Ids unique per pair: nomenklatura caches what it works out about an entity by id.
            for key, name in ((f"q{number}", name1), (f"c{number}", name2))
        )
        result = algorithm.compare(query, candidate, config)
        print(json.dumps(round(float(result.score), 4)))


if __name__ == "__main__":
    main()
