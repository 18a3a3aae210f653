"""One AWS call with everything needed to explain its outcome, and the follow-up probes around it.

A ``CallOutcome`` records the HTTP answers seen (a 301 that botocore followed still leaves its trace),
the error code and message, and the exception text the module would print. The probes here are the
extra calls that turn a bare HEAD 403 or 404 into an explanation: ListObjectsV2 and GetBucketLocation
for the real error code, ListBuckets for the closest visible bucket name.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from diagnostics.masking import scrub

# Imported inside the functions that use them: botocore adds 9-170 ms to start-up
# (python -X importtime), paid otherwise by every command that never needs them.

REGION_HEADER = "x-amz-bucket-region"


@dataclass(frozen=True)
class HttpAnswer:
    """One HTTP response botocore received (including redirects it then followed)."""

    operation: str
    status: int
    bucket_region: str | None


@dataclass(frozen=True)
class CallOutcome:
    """What one call returned or raised, reduced to facts that are safe to show."""

    operation: str
    kind: str
    """``ok``, ``client_error``, ``unreachable``, ``invalid_parameter``, ``no_credentials``, ``transport``."""
    response: dict[str, Any] | None = None
    code: str = ""
    message: str = ""
    http_status: int | None = None
    error_text: str = ""
    """``str(exception)``: what the module prints for the same failure."""
    error_repr: str = ""
    """``repr(exception)``: what the module prints when it reads an object."""
    url: str = ""
    answers: tuple[HttpAnswer, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the call succeeded."""
        return self.kind == "ok"

    @property
    def bucket_region(self) -> str | None:
        """The bucket's region as S3 announced it (header of any answer, or the error body)."""
        for answer in reversed(self.answers):
            if answer.bucket_region:
                return answer.bucket_region
        if self.response:
            headers = self.response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
            region = headers.get(REGION_HEADER) or self.response.get("Error", {}).get("Region")
            return str(region) if region else None
        return None

    @property
    def redirected(self) -> bool:
        """True when S3 answered 301/307 at least once during the call."""
        return any(answer.status in (301, 302, 307) for answer in self.answers)

    def evidence(self) -> str:
        """One line for a finding: the call and what came back."""
        statuses = " → ".join(str(answer.status) for answer in self.answers)
        if self.ok:
            return f"{self.operation}: HTTP {statuses or 200}"
        if self.kind == "client_error":
            # a HEAD error has no body: botocore's code is then the status itself ("404"), said once
            code = "" if self.code.isdigit() else self.code
            return " ".join(part for part in (f"{self.operation}: HTTP {statuses or self.http_status}", code,
                                              self.message) if part)
        return f"{self.operation}: {self.kind}: {self.error_text}"


def call(client: Any, operation: str, secrets: tuple[str | None, ...] = (), **kwargs: Any) -> CallOutcome:
    """Call ``client.<operation>(**kwargs)`` and classify the outcome; never raises botocore errors."""
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        EndpointConnectionError,
        NoCredentialsError,
        ParamValidationError,
    )
    from botocore.parsers import ResponseParserError

    answers: list[HttpAnswer] = []
    api_name = "".join(part.title() for part in operation.split("_"))

    def record(**event: Any) -> None:
        response = event.get("response_dict")
        if response:
            headers = response.get("headers", {}) or {}
            answers.append(HttpAnswer(api_name, int(response.get("status_code", 0)),
                                      headers.get(REGION_HEADER)))

    service = client.meta.service_model.service_id.hyphenize()
    event_name = f"response-received.{service}.{api_name}"
    client.meta.events.register(event_name, record)
    try:
        response = getattr(client, operation)(**kwargs)
        return CallOutcome(api_name, "ok", response=response, answers=tuple(answers))
    except ClientError as error:
        raw: dict[str, Any] = dict(error.response or {})
        details = raw.get("Error", {})
        return CallOutcome(
            api_name, "client_error", response=raw, code=str(details.get("Code", "")),
            message=str(details.get("Message", "")),
            http_status=raw.get("ResponseMetadata", {}).get("HTTPStatusCode"),
            error_text=scrub(str(error), secrets), error_repr=scrub(repr(error), secrets),
            answers=tuple(answers))
    except ParamValidationError as error:
        return CallOutcome(api_name, "invalid_parameter", error_text=str(error), error_repr=repr(error))
    except EndpointConnectionError as error:
        return CallOutcome(api_name, "unreachable", error_text=str(error), error_repr=repr(error),
                           url=str(error.kwargs.get("endpoint_url", "")))
    except NoCredentialsError as error:
        return CallOutcome(api_name, "no_credentials", error_text=str(error), error_repr=repr(error))
    except (BotoCoreError, ResponseParserError) as error:  # an unparsable answer (HTML 500) is not a BotoCoreError
        return CallOutcome(api_name, "transport", error_text=str(error), error_repr=repr(error),
                           url=str(getattr(error, "kwargs", {}).get("endpoint_url", "")))
    finally:
        client.meta.events.unregister(event_name, record)


def forbidden_followups(s3: Any, bucket: str) -> tuple[str, list[CallOutcome]]:
    """The real error code behind a HEAD 403: ListObjectsV2 and GetBucketLocation carry a body."""
    outcomes = [call(s3, "list_objects_v2", Bucket=bucket, MaxKeys=1),
                call(s3, "get_bucket_location", Bucket=bucket)]
    for outcome in outcomes:
        if outcome.kind == "client_error" and outcome.code and not outcome.code.isdigit():
            return outcome.code, outcomes
    if any(outcome.ok for outcome in outcomes):
        return "no error: only HeadBucket is refused", outcomes
    return "403", outcomes


def closest_bucket(s3: Any, bucket: str) -> tuple[str | None, CallOutcome]:
    """The visible bucket whose name is nearest to ``bucket`` (ListBuckets may well be denied)."""
    outcome = call(s3, "list_buckets")
    if not outcome.ok or outcome.response is None:
        return None, outcome
    names = [str(entry.get("Name", "")) for entry in outcome.response.get("Buckets", [])]
    matches = difflib.get_close_matches(bucket, [name for name in names if name != bucket], n=1, cutoff=0.6)
    return (matches[0] if matches else None), outcome


def paginate_until(s3: Any, found: Callable[[dict[str, Any]], bool], max_pages: int,
                   **kwargs: Any) -> tuple[CallOutcome, list[dict[str, Any]], bool, bool]:
    """Page ListObjectsV2 like the module's check_bucket until ``found(page)``, at most ``max_pages``.

    Returns the last call's outcome, the pages read, whether a page matched, and whether the listing
    was read to its end (False when it failed or ``max_pages`` stopped it).
    """
    pages: list[dict[str, Any]] = []
    token: str | None = None
    outcome = CallOutcome("ListObjectsV2", "ok")
    while len(pages) < max_pages:
        arguments = dict(kwargs, ContinuationToken=token) if token else dict(kwargs)
        outcome = call(s3, "list_objects_v2", **arguments)
        if not outcome.ok or outcome.response is None:
            return outcome, pages, False, False
        pages.append(outcome.response)
        if found(outcome.response):
            return outcome, pages, True, False
        token = outcome.response.get("NextContinuationToken")
        if not outcome.response.get("IsTruncated") or not token:
            return outcome, pages, False, True
    return outcome, pages, False, False
