"""Item pipelines, in order: validate -> dedupe -> (images) -> store -> (sftp)."""
