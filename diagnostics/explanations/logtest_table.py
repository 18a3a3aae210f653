"""Explanations for rule matching through wazuh-logtest; part of the one table."""

from __future__ import annotations

from diagnostics.explanations.table import Explanation
from diagnostics.findings import Status

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

ENTRIES = LOGTEST_ENTRIES
