"""Speed and memory benchmarks, run as scripts (`python -m benchmarks.NAME`), not as tests."""
