"""CloudTrail: one JSON document per object, events under ``Records``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TextIO

from diagnostics.decode.awslogs import awslogs_account, load_document_records
from diagnostics.decode.base import LoadContext, LoadItem, first_of, pick
from diagnostics.decode.envelope import Warn, common_reformat, warning_line
from diagnostics.decode.model import EventSummary

DYNAMIC_FIELDS = ("additionalEventData", "responseElements", "requestParameters")
"""Fields whose type varies between events; non-dicts become ``{"string": str(value)}``."""


class CloudTrailDecoder:
    """``AWSCloudTrailBucket``."""

    bucket_type = "cloudtrail"
    reads_whole_text = True

    def envelope_account(self, load: LoadContext) -> str | None:
        return awslogs_account(load)

    def load(self, text: TextIO, load: LoadContext) -> Iterator[LoadItem]:
        return load_document_records(text, "Records", "cloudtrail", load)

    def reformat(self, message: dict[str, Any], warn: Warn) -> list[dict[str, Any]]:
        common_reformat(message)
        aws = message["aws"]
        for name in DYNAMIC_FIELDS:
            if name in aws and not isinstance(aws[name], dict):
                aws[name] = {"string": str(aws[name])}
        if "requestParameters" in aws:
            parameters = aws["requestParameters"]
            if "disableApiTermination" in parameters:
                value = parameters["disableApiTermination"]
                if isinstance(value, bool):
                    parameters["disableApiTermination"] = {"value": value}
                elif not isinstance(value, dict):
                    warn(warning_line(message))
        return [message]

    def summarize(self, aws: Mapping[str, Any]) -> EventSummary:
        outcome = first_of(aws, "errorCode", "responseElements.ConsoleLogin")
        return EventSummary(
            time=pick(aws, "eventTime"),
            source=pick(aws, "eventSource") or "cloudtrail",
            name=pick(aws, "eventName"),
            user=first_of(aws, "userIdentity.userName", "userIdentity.sessionContext.sessionIssuer.userName",
                          "userIdentity.arn", "userIdentity.invokedBy", "userIdentity.type"),
            source_ip=pick(aws, "sourceIPAddress"),
            region=pick(aws, "awsRegion"),
            outcome=outcome or "Success",
            resource=first_of(aws, "requestParameters.roleName", "requestParameters.bucketName",
                              "requestParameters.userName", "recipientAccountId"),
        )
