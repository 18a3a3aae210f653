"""Reading ossec.conf as Wazuh does, and the rules its C parser and the module's script apply to it."""
