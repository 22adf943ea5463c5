"""Where records come from besides HTTP: S3 drop folders."""
