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
            "The datagram for an event of {size} bytes from {key} did not fit the socket buffer "
            "(errno 90). The module prints 'Message too long to send to Wazuh.  Skipping message...' and "
            "goes on, so that event never reaches analysisd."
        ),
        fix=("Raise the socket buffer (`sysctl -w net.core.rmem_max=...` and rmem_default), then reparse "
             "the file."),
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
HOST_CHECK_ENTRIES: tuple[Explanation, ...] = (
    Explanation(
        failure_id="host.module_installed",
        title="aws-s3 module installed as {kind_text}, run by {interpreter}",
        explanation=("wazuh-modulesd runs {path} from {home}; {kind_detail} Wazuh {version} "
                     "({version_source})."),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="host.module_absent",
        title="No aws-s3 module under {home}",
        explanation=(
            "{path} does not exist, so this host cannot run the module (wazuh-modulesd would log 'Internal "
            "error. Exiting...'). The interpreter, state database and region checks need an installation "
            "and are skipped."
        ),
        fix=("Run the doctor on the Wazuh manager (or the agent whose ossec.conf holds the wodle), or pass "
             "--wazuh-home DIR."),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="host.module_entry_unknown",
        title="{path} is neither the 4.x shell wrapper nor a Python script",
        explanation=("The entry point has no python shebang and no WPYTHON_BIN line, so the doctor cannot "
                     "tell which interpreter runs it; the boto3/pyarrow check is skipped."),
        fix=("Compare the file with a fresh package's wodles/aws/aws-s3; reinstall the package if it was "
             "edited."),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="host.interpreter_missing",
        title="The module's Python {interpreter} was not found",
        explanation=(
            "{path} starts {interpreter}, which does not exist{lookup}. Every scheduled run then fails "
            "before the script starts: the shell or env reports 'not found' and exits 127, so ossec.log "
            "shows 'Returned exit code 127' with no ERROR line of the module."
        ),
        fix=("4.x managers: reinstall the wazuh-manager package (it ships framework/python). 5.0 and agents: "
             "install python3 where wazuh-modulesd's PATH finds it, then restart the manager."),
        status=Status.ERROR,
        exit_code=127,
    ),
    Explanation(
        failure_id="host.python_modules_ok",
        title="The module's Python {python_version} imports {modules}",
        explanation=("Checked by running {resolved} itself (as this user, with {environment_source}), the "
                     "interpreter wazuh-modulesd starts for the module."),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="host.boto3_missing",
        title="The module's Python cannot import boto3: every run exits 4",
        explanation=(
            "{resolved} failed to import boto3 ({error}). The module prints 'ERROR: boto3 module is "
            "required.' and exits 4 before reading its configuration. `pip3 show boto3` succeeding proves "
            "nothing: it asks another Python (the system's or a venv), not {resolved}."
        ),
        fix=("Install boto3 into that interpreter: `{resolved} -m pip install boto3` (4.x managers: "
             "{home}/framework/python/bin/pip3 install boto3). On PEP 668 systems use the distribution "
             "package (python3-boto3) or add --break-system-packages, as Wazuh's own agent instructions do."),
        status=Status.ERROR,
        exit_code=4,
        script_message="boto3 module is required.",
    ),
    Explanation(
        failure_id="host.pyarrow_missing",
        title="The module's Python cannot import pyarrow: every run exits 10",
        explanation=(
            "{resolved} failed to import pyarrow ({error}). Since 4.7 the module imports its SQS "
            "subscribers, which need pyarrow, for every run type: it prints 'ERROR: pyarrow module is "
            "required.' and exits 10 even for a plain bucket."
        ),
        fix=("Install pyarrow into that interpreter: `{resolved} -m pip install pyarrow` (use the version "
             "Wazuh's documentation pins for your release; the distribution package is python3-pyarrow)."),
        status=Status.ERROR,
        exit_code=10,
        script_message="pyarrow module is required.",
    ),
    Explanation(
        failure_id="host.python_probe_failed",
        title="Could not ask the module's Python which modules it has",
        explanation="Running {interpreter} failed: {error}. Whether boto3 and pyarrow import is unknown.",
        fix="Run `{interpreter} -c 'import boto3, pyarrow'` as root from {home} and read the error.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="host.modulesd_running",
        title="wazuh-modulesd runs as {user} (pid {pid})",
        explanation=("The aws-s3 module is a thread of this process and runs the script with its user and "
                     "environment."),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="host.modulesd_not_running",
        title="wazuh-modulesd is not running",
        explanation=(
            "No wazuh-modulesd process was found under {proc}. The aws-s3 module is one of its threads: "
            "without it no bucket is ever read, whatever ossec.conf says. (In a container, the manager's "
            "processes are visible only from inside its own container.)"
        ),
        fix=("Start the manager (`systemctl start wazuh-manager` or `{home}/bin/wazuh-control start`); if "
             "modulesd stops again, ossec.log says why (`wazuh-aws-doctor check` finds configuration "
             "errors)."),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="host.modulesd_not_root",
        title="wazuh-modulesd runs as {user}, not root",
        explanation=("The module reads ~/.aws of the user it runs as ({user_home}), while the doctor's "
                     "credential checks read {module_home}."),
        fix=("Keep the profiles in {user_home}/.aws, or set WAZUH_AWS_DOCTOR_MODULE_HOME={user_home} so the "
             "doctor reads the same files."),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="host.module_environ_unreadable",
        title="wazuh-modulesd's environment cannot be read",
        explanation=(
            "Reading {path} failed ({error}): only root and the process's owner may read it. Without it the "
            "doctor cannot tell which AWS_* variables the module sees; its checks used this shell's."
        ),
        fix="Run the doctor as root (plain `sudo`, not `sudo -E`) to compare the two environments.",
        status=Status.SKIPPED,
    ),
    Explanation(
        failure_id="host.environ_same",
        title="wazuh-modulesd and this shell see the same AWS settings",
        explanation="Compared variables: {names}.",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="host.environ_only_in_shell",
        title="AWS settings in this shell that wazuh-modulesd does not have: {names}",
        explanation=(
            "This shell sets {described}, so `aws s3 ls` and the doctor's checks may succeed here while the "
            "module, started by systemd or the container runtime with its own environment, never sees them "
            "(the 'works in my shell' case). The module finds credentials only in its ossec.conf options, "
            "in root's ~/.aws files and in wazuh-modulesd's environment."
        ),
        fix=("Put the credentials where the module reads them (a profile in /root/.aws/credentials named "
             "by <aws_profile>, or an instance role), or add the variables to the manager's service "
             "environment (a systemd drop-in with Environment=), then restart the manager."),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="host.irsa_missing_in_module",
        title="EKS web-identity variables ({names}) are not in wazuh-modulesd's environment",
        explanation=(
            "This shell has {described}, which EKS sets for the pod's service account (IRSA), so `aws sts "
            "get-caller-identity` works here. wazuh-modulesd lacks them, so botocore in the module falls "
            "through to the next source (the node's instance role, or nothing): exit 12 'Unable to locate "
            "credentials', or InvalidClientTokenId/AccessDenied as another identity."
        ),
        fix=("Pass AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE to the manager process (the container's env "
             "or the service unit) and restart it; or give the module base credentials plus <iam_role_arn>."),
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="host.environ_only_in_module",
        title="wazuh-modulesd has AWS settings this shell does not: {names}",
        explanation=("The module sees {described}. The doctor's checks ran with this shell's environment, so "
                     "their credential and region results may differ from what the module gets."),
        fix=("Export the same variables (their names and masked values are shown) and re-run the checks, or "
             "remove them from the service environment if they are stale."),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="host.environ_values_differ",
        title="{names} differ between this shell and wazuh-modulesd",
        explanation="This shell: {ours}. wazuh-modulesd: {theirs}. The module uses its own values.",
        fix=("Re-run the checks with the module's values, or align the service environment with what you "
             "expect."),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="host.state_db_ok",
        title="The module's state database is readable and not locked",
        explanation="{state_db}: tables {tables}; last opened by Wazuh {db_version}.",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="host.state_db_absent",
        title="The module's state database does not exist yet",
        explanation=("The module creates {state_db} on its first run; no run has completed on this host "
                     "(or the module runs on another one)."),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="host.region_list",
        title="The installed module accepts {count} regions ({govcloud})",
        explanation=("Read from {source}. Bucket and CloudWatch <regions> values outside this list make the "
                     "module exit 22 before reading anything.{difference}"),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="host.region_list_unchecked",
        title="Wazuh {version} does not check regions against a list",
        explanation="The ALL_REGIONS check exists since 4.10; this release passes any well-formed region on.",
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="host.region_list_unreadable",
        title="The installed module's region list could not be read",
        explanation=("No ALL_REGIONS tuple was found in {source}; region findings use the list of current "
                     "releases, which may differ from what this installation accepts."),
        fix="Look for ALL_REGIONS in {home}/wodles/aws/*.py by hand.",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="host.region_not_accepted",
        title="{block}: region(s) {regions} are not accepted by the installed module",
        explanation=(
            "{source} does not list {regions}{partition_note}. The module checks every configured region "
            "before reading and exits 22; at debug 0 it prints nothing, so ossec.log shows only 'Returned "
            "exit code 22'."
        ),
        fix=("Remove the region(s) from <regions> (line {line}), or upgrade Wazuh (GovCloud was added by PR "
             "#39401); a hand-patched aws_tools.py is overwritten by the next upgrade."),
        status=Status.ERROR,
        exit_code=22,
        script_message="DEBUG: +++ ERROR: Invalid region '{first_region}'",
        debug_only=True,
    ),
)

# -- rule matching through wazuh-logtest (logtest)
LOGTEST_ENTRIES: tuple[Explanation, ...] = (
    Explanation(
        failure_id="host.logtest_unavailable",
        title="wazuh-logtest is not available here",
        explanation=("Neither {socket} (wazuh-analysisd's logtest socket) nor {binary} exists, so rule "
                     "matching cannot be previewed. Logtest runs only on a Wazuh manager."),
        fix=("Run the preview on the manager, where wazuh-analysisd runs with <rule_test> enabled (the "
             "default)."),
        status=Status.SKIPPED,
    ),
    Explanation(
        failure_id="host.logtest_failed",
        title="wazuh-logtest could not process the events",
        explanation="{interface}: {error}.",
        fix=("Check that the manager runs (`{home}/bin/wazuh-control status`), that <rule_test> is enabled "
             "in ossec.conf, and that this user may use {socket} (root or the wazuh group)."),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="host.logtest_alerts",
        title="{count} event(s) raise alerts with rule {rule_id} (level {level}): {description}",
        explanation=("Level {level} is at or above log_alert_level {alert_level} ({alert_level_source}), so "
                     "analysisd writes these events to alerts.json and the dashboard shows them."),
        fix="",
        status=Status.OK,
    ),
    Explanation(
        failure_id="host.logtest_level_zero",
        title="{count} event(s) match rule {rule_id} at level 0: no alert",
        explanation=(
            "Rule {rule_id} ('{description}') has level 0: analysisd keeps the event only in archives "
            "(when logall/logall_json is on) and writes no alert, so nothing reaches the dashboard's AWS "
            "views. The AWS ruleset has level-0 parent rules for events no child rule describes."
        ),
        fix=("Add a child rule to etc/rules/local_rules.xml, e.g. <rule id=\"100200\" level=\"5\"><if_sid>"
             "{rule_id}</if_sid><field name=\"aws.eventName\">...</field><description>...</description>"
             "</rule>, "
             "with a level of at least {alert_level}, then restart the manager."),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="host.logtest_below_alert_level",
        title="{count} event(s) match rule {rule_id} at level {level}, below log_alert_level {alert_level}",
        explanation=("Rule {rule_id} ('{description}') fires, but <alerts><log_alert_level> is {alert_level} "
                     "({alert_level_source}): analysisd writes no alert for it."),
        fix=("Lower log_alert_level in ossec.conf, or raise the level with a child rule (<if_sid>{rule_id}"
             "</if_sid>) in etc/rules/local_rules.xml; restart the manager."),
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="host.logtest_no_rule",
        title="{count} event(s) are decoded by '{decoder}' but match no rule",
        explanation=("No rule of the loaded ruleset matches these events, so they raise no alert (the AWS "
                     "rules key on integration 'aws' and on aws.source)."),
        fix="Write a rule for them in etc/rules/local_rules.xml (decoded_as json, field integration aws).",
        status=Status.WARNING,
    ),
    Explanation(
        failure_id="host.logtest_no_decoder",
        title="{count} event(s) match no decoder",
        explanation=("analysisd's json decoder normally decodes every aws-s3 event (JSON after the "
                     "'1:Wazuh-AWS:' header). None matched, so no rule can either: the decoders in use may "
                     "be broken or replaced."),
        fix=("Check the <ruleset> section of ossec.conf (decoder_dir, decoder_exclude) and logtest's "
             "messages."),
        status=Status.ERROR,
    ),
    Explanation(
        failure_id="host.logtest_messages",
        title="wazuh-logtest reported: {message}",
        explanation=("analysisd's logtest attached this message to its answer (ruleset load problems show "
                     "up here)."),
        fix=("Fix the rule or decoder file it names; `{home}/bin/wazuh-analysisd -t` checks the whole "
             "ruleset."),
        status=Status.WARNING,
    ),
)


# -- the doctor's own calls failing, and secrets left readable (reliability and safety) -------------------
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

ENTRIES = ENTRIES + HOST_CHECK_ENTRIES + LOGTEST_ENTRIES + SAFETY_ENTRIES
