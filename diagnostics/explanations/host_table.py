"""Explanations for host failures; part of the one table in ``diagnostics.explanations``."""

from __future__ import annotations

from diagnostics.explanations.table import Explanation
from diagnostics.findings import Status

ENTRIES: tuple[Explanation, ...] = (
    Explanation(
        failure_id="host.real_module_missing",
        title="The aws-s3 module is not installed at {path}",
        explanation=(
            "A real run executes {path} exactly as wazuh-modulesd does, with the Wazuh home as working "
            "directory. That file does not exist, so there is nothing to run here; wazuh-modulesd would fail "
            "the same way ('Internal error. Exiting...')."
        ),
        fix=(
            "Point --wazuh-home at the installation that runs the module (the folder holding wodles/aws), or "
            "use the doctor's own ingestion pass, which needs no installation."
        ),
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="host.real_run_side_effects",
        title="A real run of the module changes Wazuh's state and sends real events",
        explanation=(
            "Running {path} by hand is the module's own code path: it advances the marker in {state_db} "
            "(later scheduled runs start after what this run read), sends every event to analysisd (alerts "
            "and archives get them), and deletes the files it read when remove_from_bucket is set."
        ),
        fix=(
            "Prefer the doctor's ingestion pass, which keeps its own state and sends nothing. If you do run "
            "the module, take a snapshot of the state database first (offered before the run) and restore it "
            "afterwards if the marker must not move; never run it while the scheduled run is active."
        ),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="host.state_db_locked",
        title="The module's state database is locked by another run",
        explanation=(
            "{state_db} is being written by another process (most likely the scheduled aws-s3 run). Two runs "
            "at once make the module fail with 'database is locked' (exit 5 or 6) or, when the lock hits "
            "while marking files, lose those marks so the same events are sent again on the next run."
        ),
        fix=(
            "Wait until the scheduled run ends (ossec.log shows 'Fetching logs finished.'), or stop "
            "wazuh-modulesd first; check who holds the file with `fuser {state_db}`."
        ),
        status=Status.ERROR,
        exit_code=6,
        script_message="Unable to create SQLite DB: database is locked",
    ),
    Explanation(
        failure_id="host.state_db_unreadable",
        title="The module's state database cannot be read",
        explanation=(
            "Opening {state_db} read-only failed: {error}. The module itself would stop with exit 5 "
            "when its database cannot be used."
        ),
        fix="Check the file's ownership and permissions (root:wazuh, 0660) and that the disk is not full.",
        status=Status.ERROR,
        exit_code=5,
        script_message="Error attempting to operate with the {state_db} database: {error}",
    ),
    Explanation(
        failure_id="host.queue_socket_missing",
        title="Wazuh's queue socket {socket} does not exist",
        explanation=(
            "Events are sent as datagrams to {socket}, which analysisd creates when it runs. It is missing, "
            "so the module fails on its first event with 'Error sending message to wazuh: [Errno 2] No such "
            "file or directory' (exit 13), and --send has nowhere to deliver."
        ),
        fix=(
            "Start the Wazuh manager (`systemctl start wazuh-manager`) or point --wazuh-home at the "
            "installation whose analysisd should receive the events. Without --send, the doctor writes the "
            "events to a file instead."
        ),
        status=Status.ERROR,
        exit_code=13,
        script_message="Error sending message to wazuh: [Errno 2] No such file or directory",
    ),
    Explanation(
        failure_id="host.wazuh_not_running",
        title="Nobody listens on Wazuh's queue socket {socket}",
        explanation=(
            "The socket file exists but connecting to it was refused: analysisd is not running. The module "
            "stops on its first event with exit 11."
        ),
        fix="Start the Wazuh manager, then run again.",
        status=Status.ERROR,
        exit_code=11,
        script_message="Wazuh must be running.",
    ),
    Explanation(
        failure_id="host.send_failed",
        title="Sending an event to Wazuh's queue socket failed",
        explanation="Writing to {socket} failed with: {error}. The module stops with exit 13 on such errors.",
        fix=("Check that analysisd runs and that this user may write to {socket} (it belongs to the wazuh "
             "group)."),
        status=Status.ERROR,
        exit_code=13,
        script_message="Error sending message to wazuh: {error}",
    ),
    Explanation(
        failure_id="host.event_too_long_for_socket",
        title="An event was larger than the queue socket's buffer and was dropped",
        explanation=(
            "The datagram for an event of {size} bytes from {key} is larger than the sending socket's "
            "buffer (the module does not set one, so net.core.wmem_default applies: 212,992 bytes by "
            "default, which lets 212,960 bytes through), and send() fails with errno 90. The module prints "
            "'Message too long to send to Wazuh.  Skipping message...' and goes on, so that event never "
            "reaches analysisd."
        ),
        fix=("Drop such events with <discard_regex>, or fix the producer so no record is that large. Raising "
             "net.core.wmem_default (rmem_max, which the module's message names, does not change this limit) "
             "lets the datagram through, but analysisd reads only its first 65,535 bytes, so the event still "
             "arrives cut."),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="host.ingest_stopped_on_file",
        title="The module would stop at {key} with exit code {exit_code}",
        explanation=(
            "Without skip_on_error the module exits as soon as one file fails. It commits its state only at "
            "the end of a run, so the {read_before} files it read before this one are not marked either: "
            "the next run reads them and sends their events again, and stops here again."
        ),
        fix=(
            "Fix or remove the failing object, or set <skip_on_error>yes</skip_on_error> so the module sends "
            "an error_msg event for it and goes on."
        ),
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="host.remove_from_bucket_not_done",
        title="remove_from_bucket is set: the module deletes every file it reads",
        explanation=(
            "After sending a file's events the module deletes it from {bucket} (debug 2 prints "
            "'+++ Remove file from S3 Bucket:<key>'). The doctor never deletes; its pass only says which "
            "files the module would have removed ({count} in this pass)."
        ),
        fix="Make sure this is intended: deleted logs cannot be reparsed later.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="host.ingest_cancelled",
        title="The ingestion pass was cancelled",
        explanation=(
            "The pass stopped after {files_read} files. Every file whose events were all written is marked "
            "in the doctor's state; the next pass resumes right after it, with no event lost or repeated."
        ),
        fix="Run the pass again to continue, or use --reset to start over.",
        status=Status.SKIPPED,
    ),
    Explanation(
        failure_id="host.real_module_exit",
        title="The module exited with code {exit_code}",
        explanation="Exit code {exit_code} means: {meaning}. The ERROR line of its output names the cause.",
        fix=(
            "Read the ERROR line above; `wazuh-aws-doctor check` explains the configuration, credential and "
            "access problems behind most exit codes, and `explain-log` annotates the same run in ossec.log."
        ),
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="host.real_module_exit_unknown",
        title="The module exited with code {exit_code}, which it does not define",
        explanation=(
            "The aws-s3 script never exits {exit_code} itself: the code comes from the Python interpreter or "
            "the shell wrapper (126/127: the script or its interpreter could not be executed)."
        ),
        fix="Run the displayed command by hand as root from the Wazuh home and read its first lines.",
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="host.real_module_stopped",
        title="The module run was stopped before it finished (exit status {exit_code})",
        explanation=(
            "The run was interrupted (cancelled, timed out or killed). The module commits its state only "
            "at the end of a run, so the files it read in this run are not marked and the next run sends "
            "their events again."
        ),
        fix="Run it again when the host is idle, or restore the snapshot taken before the run.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="host.real_module_ok",
        title="The module ran and exited 0",
        explanation="The run completed; its output is shown above, as ossec.log would record it at debug 2.",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="host.ingest_state_unusable",
        title="The doctor's own state database cannot be used",
        explanation="{error}",
        fix=("If it says 'database is locked' while copying the module's database (--from-wazuh-state), the "
             "module is writing it right now: wait until its run ends ('Fetching logs finished.' in "
             "ossec.log) and try again. Otherwise choose a writable --state-dir (never Wazuh's wodles/aws "
             "folder), or run with --reset to start a fresh state."),
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="host.ingest_walk_stopped",
        title="The module would stop before reading files, with exit code {exit_code}",
        explanation=("{reason}. The listing ends the run there, so no file of this bucket is read; the "
                     "same happens on every scheduled run until it is fixed."),
        fix=("Run `wazuh-aws-doctor check` for this bucket: it explains the configuration, credential and "
             "access problems behind this exit code."),
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="host.ingest_walk_incomplete",
        title="The pass could not reproduce the module's whole walk",
        explanation="{reason}.",
        fix="Provide what is missing (for vpcflow: credentials allowed to call ec2:DescribeFlowLogs).",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="host.ingest_never_read",
        title="{count} file(s) sit at or before the marker with no state row: the module never reads them",
        explanation=(
            "The module lists only keys after its marker (the last key it processed). These files arrived "
            "late into a folder it had already passed, or only_logs_after was moved back after the first "
            "run; S3 never returns them to the module again and it logs nothing about them."
        ),
        fix=(
            "Reparse the window by hand (`wodles/aws/aws-s3 ... --reparse --only_logs_after <date> -d 2`, "
            "which may send duplicates), or copy the files under a key that sorts after the marker."
        ),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="host.ingest_read_failed",
        title="Reading {key} failed",
        explanation=(
            "GetObject failed: {error}. Listing works but reading does not, so the module prints "
            "'Unknown error reading/parsing file {key}: ...' and exits {exit_code} on this file at every run "
            "(with skip_on_error it sends an error_msg event instead and goes on)."
        ),
        fix=("Allow s3:GetObject on the bucket's keys for the module's credentials, and kms:Decrypt on the "
             "key when the objects are SSE-KMS encrypted (CloudTrail's option); then run again."),
        status=Status.ERROR,
    ),
)


# -- the Wazuh host itself: installation, wazuh-modulesd, its environment, state and regions (host_checks)
SAFETY_ENTRIES: tuple[Explanation, ...] = (
    Explanation(
        failure_id="host.listing_failed",
        title="Listing s3://{bucket}/{prefix} failed",
        explanation=(
            "ListObjectsV2 failed: {error}. The doctor made {tried}; the module lists the same way (with its "
            "own retry settings), so its runs meet the same failure while it lasts."
        ),
        fix=(
            "For throttling (SlowDown) or 5xx errors wait and retry, or raise max_attempts under the profile "
            "in ~/.aws/config; for connection errors and timeouts check the endpoint, proxy and DNS; for "
            "NoSuchBucket or AccessDenied run `wazuh-aws-doctor check --bucket {bucket}`."
        ),
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="host.step_crashed",
        title="The {step} step of the check stopped on an unexpected error",
        explanation=(
            "The doctor met {error} while checking this block, so the steps after {step} were not run. The "
            "other blocks were checked as usual. This is a problem in the doctor, not in your set-up."
        ),
        fix=("Re-run the check; if it happens again, report it with this finding (it holds no secret). The "
             "module itself is not affected."),
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="host.config_secrets_readable",
        title="{path} holds AWS secret keys and other users may read it",
        explanation=(
            "The file's mode is {mode}: users outside the owner ({readers}) can read it, and it contains "
            "inline access_key/secret_key values (line {line}). Anyone with a shell on the manager can copy "
            "those keys."
        ),
        fix=(
            "Move the keys to a profile in /root/.aws/credentials (mode 0600) and use <aws_profile>, or an "
            "IAM role; at least run `chmod o-rwx {path}` (Wazuh installs it as root:wazuh 0660)."
        ),
        status=Status.WARNING,
    ),
)

ENTRIES = ENTRIES + SAFETY_ENTRIES
