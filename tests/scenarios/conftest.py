"""The case-file fixtures (a real store on tmp_path, the command line) for the end-to-end
inspection-failure scenarios."""

from tests.casefile.conftest import blobs, casefile, cli, library, store, store_path
from tests.casefile.test_controls import bundled

__all__ = ["blobs", "bundled", "casefile", "cli", "library", "store", "store_path"]
