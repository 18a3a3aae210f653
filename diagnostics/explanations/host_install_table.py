"""Explanations for the Wazuh host checks (module, its Python, modulesd, state, regions); part of the one table."""

from __future__ import annotations

from diagnostics.explanations.table import Explanation
from diagnostics.findings import Status

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

ENTRIES = HOST_CHECK_ENTRIES
