"""How a run ended: the run ledger (what went wrong), small checks (what it means), the status."""

from ornaments.runs.checks import RunFacts, Verdict, drop_counts, run_checks
from ornaments.runs.ledger import RunLedger
from ornaments.runs.status import CLEAN, EXIT_CODES, SEVERITY, STATUSES, decide, summary_line

__all__ = ["CLEAN", "EXIT_CODES", "SEVERITY", "STATUSES", "RunFacts", "RunLedger", "Verdict", "decide",
           "drop_counts", "run_checks", "summary_line"]
