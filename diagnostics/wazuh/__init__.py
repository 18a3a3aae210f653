"""Facts about Wazuh that the module depends on: home and version, the wodle model, ossec.log format, state DBs."""
