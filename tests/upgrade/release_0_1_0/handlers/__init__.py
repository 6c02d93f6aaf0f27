"""Lambda handlers behind the custom resources (standard library and boto3 only: bundled as a top-level package)."""
