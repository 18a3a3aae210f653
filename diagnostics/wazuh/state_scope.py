"""One scope of the module's bucket state tables: the rows that share a marker and a retention count.

Both the read-only reader of Wazuh's database and our own ingestion state key their rows this way, so the
scope lives with the state facts below both of them.
"""

from __future__ import annotations

from dataclasses import dataclass

REGION_TABLES = frozenset({"cloudtrail", "config", "vpcflow"})
"""Tables with an ``aws_region`` column; the custom-family tables have none."""
ANY_ACCOUNT = "*"
"""A scope account that matches every account (when the caller identity is unknown)."""


@dataclass(frozen=True)
class StateScope:
    """One retention and marker scope: (bucket_path, account[, region][, flow_log_id]) of one table."""

    table: str
    bucket_path: str
    """``<bucket>/<path>`` (``<bucket>/<path><suffix>`` for the AWSLogs types), as the module keys it."""
    account_id: str
    region: str | None = None
    """Ignored for tables without a region column."""
    flow_log_id: str | None = None
    """vpcflow only."""

    @property
    def has_region(self) -> bool:
        """True for the tables the module keys by region."""
        return self.table in REGION_TABLES

    def where(self, columns: frozenset[str]) -> tuple[str, dict[str, str]]:
        """The module's scope clause for a table with these columns (region and flow-log id only where
        the table has them; an ``ANY_ACCOUNT`` scope matches every account)."""
        clauses = ["bucket_path=:bucket_path"]
        params = {"bucket_path": self.bucket_path}
        if self.account_id != ANY_ACCOUNT:
            clauses.append("aws_account_id=:aws_account_id")
            params["aws_account_id"] = self.account_id
        if "aws_region" in columns and self.region is not None:
            clauses.append("aws_region=:aws_region")
            params["aws_region"] = self.region
        if "flow_log_id" in columns and self.flow_log_id is not None:
            clauses.append("flow_log_id=:flow_log_id")
            params["flow_log_id"] = self.flow_log_id
        return " AND ".join(clauses), params
