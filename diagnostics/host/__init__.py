"""Checks of the Wazuh installation the module runs in: its Python, wazuh-modulesd, options and wazuh-logtest."""
