"""Benchmarks of cdk-connect-quickconnect (``python -m benchmarks.run``)."""
