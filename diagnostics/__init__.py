"""UI-free diagnostics for Wazuh's aws-s3 module: every check returns result objects, nothing prints."""
