"""The module's session reads the module's environment, not ours, in botocore's assume-role providers too.

These tests guard module_session's rebuilt providers: if a botocore release stops honouring the public
constructor arguments they use, the credentials below come from nowhere and the tests fail loudly.
"""

from __future__ import annotations

from pathlib import Path

from diagnostics.aws.module_session import SessionInputs, module_boto3_session

ROLE_ARN = "arn:aws:iam::123456789012:role/doctor-test"


def inputs_for(home: Path, environ: dict[str, str], config: str) -> SessionInputs:
    """The module's files in ``home``; each profile carries moto's endpoint (botocore reads it for STS)."""
    (home / ".aws" / "config").write_text(config)
    return SessionInputs(environ=environ, credentials_file=home / ".aws" / "credentials",
                         config_file=home / ".aws" / "config")


def test_credential_source_environment_reads_the_modules_environment(clean_aws_env: Path, moto: str) -> None:
    config = f"[profile sourced]\nrole_arn = {ROLE_ARN}\ncredential_source = Environment\nregion = us-east-1\n"
    config += f"endpoint_url = {moto}\n"
    environ = {"AWS_ACCESS_KEY_ID": "AKIAMODULEENVIRON01", "AWS_SECRET_ACCESS_KEY": "module-secret"}
    credentials = module_boto3_session(inputs_for(clean_aws_env, environ, config),
                                       profile_name="sourced").get_credentials()
    assert credentials is not None
    assert credentials.method == "assume-role"
    assert credentials.get_frozen_credentials().access_key != "AKIAMODULEENVIRON01"


def test_web_identity_reads_the_modules_environment(clean_aws_env: Path, moto: str, tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("eyJhbGciOi.token.for-tests")
    environ = {"AWS_ROLE_ARN": ROLE_ARN, "AWS_WEB_IDENTITY_TOKEN_FILE": str(token)}
    credentials = module_boto3_session(inputs_for(clean_aws_env, environ, f"[default]\nendpoint_url = {moto}\n")
                                       ).get_credentials()
    assert credentials is not None
    assert credentials.method == "assume-role-with-web-identity"
    assert credentials.get_frozen_credentials().access_key


def test_web_identity_variables_win_over_the_profile(clean_aws_env: Path, moto: str, tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("eyJhbGciOi.token.for-tests")
    config = f"[default]\nrole_arn = {ROLE_ARN}\nweb_identity_token_file = {tmp_path / 'missing'}\n"
    config += f"endpoint_url = {moto}\n"
    environ = {"AWS_WEB_IDENTITY_TOKEN_FILE": str(token)}
    credentials = module_boto3_session(inputs_for(clean_aws_env, environ, config)).get_credentials()
    assert credentials is not None
    assert credentials.method == "assume-role-with-web-identity"
    assert credentials.get_frozen_credentials().access_key


def test_an_explicit_profile_ignores_the_web_identity_variables(
        clean_aws_env: Path, moto: str, tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("eyJhbGciOi.token.for-tests")
    environ = {"AWS_ROLE_ARN": ROLE_ARN, "AWS_WEB_IDENTITY_TOKEN_FILE": str(token)}
    credentials = module_boto3_session(inputs_for(clean_aws_env, environ, f"[profile empty]\nendpoint_url = {moto}\n"),
                                       profile_name="empty").get_credentials()
    assert credentials is None


def test_sessions_share_one_model_loader_per_data_path(tmp_path: Path) -> None:
    from diagnostics.aws.module_session import SessionInputs, bound_botocore_session

    inputs = SessionInputs(environ={}, credentials_file=tmp_path / "credentials", config_file=tmp_path / "config")
    first, second = bound_botocore_session(inputs), bound_botocore_session(inputs)
    assert first.get_component("data_loader") is second.get_component("data_loader")
    elsewhere = bound_botocore_session(SessionInputs(environ={"AWS_DATA_PATH": str(tmp_path)},
                                                     credentials_file=inputs.credentials_file,
                                                     config_file=inputs.config_file))
    assert elsewhere.get_component("data_loader") is not first.get_component("data_loader")
