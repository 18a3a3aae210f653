"""AWS-facing checks: credentials as the module resolves them, identity, and the bucket access chain."""
