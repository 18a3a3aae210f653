"""What is known about the Wazuh host: its home, version, ossec.conf and the module's state."""
