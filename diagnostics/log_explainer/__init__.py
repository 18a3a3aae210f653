"""Explaining the aws-s3 lines of ossec.log: parse, attribute to runs, and annotate with causes and fixes."""
