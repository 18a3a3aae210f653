"""Build boto3 sessions that see exactly the module's environment and ~/.aws files, not ours.

botocore reads ``os.environ`` and the current user's ``~`` by default; the module runs as root under
wazuh-modulesd with its own environment. So the config store, the credential chain and IMDS are rebuilt
here over an explicit environment mapping and explicit file paths, keeping botocore's own resolution order.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Imported inside the functions that use them: boto3 adds ~140 ms, botocore adds 9-170 ms to start-up
# (python -X importtime), paid otherwise by every command that never needs them.

if TYPE_CHECKING:
    import boto3

IMDS_TIMEOUT_SECONDS = 1
"""Short on purpose: off EC2 the metadata address never answers, and a check must not hang on it."""

_LOADERS: dict[str | None, Any] = {}
_LOADERS_LOCK = threading.Lock()


def shared_loader(data_path: str | None) -> Any:
    """One botocore model loader per ``AWS_DATA_PATH`` for the whole process, because every new session
    would otherwise parse the same service models again (tens of ms and several MB per client)."""
    from botocore.loaders import create_loader

    with _LOADERS_LOCK:
        loader = _LOADERS.get(data_path)
        if loader is None:
            loader = _LOADERS[data_path] = create_loader(data_path)
        return loader


@dataclass(frozen=True)
class SessionInputs:
    """Where botocore must look: the module's environment and its shared files."""

    environ: Mapping[str, str]
    credentials_file: Path
    config_file: Path
    imds_timeout: int = IMDS_TIMEOUT_SECONDS


def _config_mapping(botocore_session: Any, environ: Mapping[str, str]) -> dict[str, Any]:
    """botocore's default configuration chains, but reading ``environ`` instead of ``os.environ``."""
    from botocore import configprovider

    factory = configprovider.ConfigChainFactory(session=botocore_session, environ=environ)

    def chains(variables: Mapping[str, Any]) -> dict[str, Any]:
        return {
            name: factory.create_config_chain(instance_name=name, env_var_names=spec[1],
                                              config_property_names=spec[0], default=spec[2],
                                              conversion_func=spec[3])
            for name, spec in variables.items()
        }

    mapping = chains(configprovider.BOTOCORE_DEFAUT_SESSION_VARIABLES)
    mapping["s3"] = configprovider.SectionConfigProvider(
        "s3", botocore_session, chains(configprovider.DEFAULT_S3_CONFIG_VARS))
    mapping["proxies_config"] = configprovider.SectionConfigProvider(
        "proxies_config", botocore_session, chains(configprovider.DEFAULT_PROXIES_CONFIG_VARS))
    return mapping


WEB_IDENTITY_VARIABLES: Mapping[str, str] = {
    "web_identity_token_file": "AWS_WEB_IDENTITY_TOKEN_FILE",
    "role_arn": "AWS_ROLE_ARN",
    "role_session_name": "AWS_ROLE_SESSION_NAME",
}
"""The profile settings botocore's web-identity provider reads first from these environment variables."""


def _client_creator(botocore_session: Any) -> Any:
    """botocore's own client factory for the assume-role providers: no region unless asked, and through
    ``create_nested_client`` where this botocore has it (a client made inside credential resolution)."""
    from botocore import utils as botocore_utils

    nested = getattr(botocore_utils, "create_nested_client", None)

    def create(service_name: str, **kwargs: Any) -> Any:
        arguments = {"region_name": None, **kwargs}
        if nested is not None:
            return nested(botocore_session, service_name, **arguments)
        return botocore_session.create_client(service_name, **arguments)

    return create


def _web_identity_config(botocore_session: Any, environ: Mapping[str, str], profile_name: str) -> Any:
    """The session's full config with the module's web-identity variables laid over the profile.

    botocore reads each setting from ``os.environ`` before the profile; laying ``environ`` over the
    profile gives the same precedence through public constructor arguments only.
    """
    config = botocore_session.full_config
    profiles = dict(config.get("profiles", {}))
    overlay = {key: environ[name] for key, name in WEB_IDENTITY_VARIABLES.items() if name in environ}
    profiles[profile_name] = {**profiles.get(profile_name, {}), **overlay}
    return {**config, "profiles": profiles}


def _swap(resolver: Any, name: str, provider: Any) -> None:
    """Replace the chain member called ``name`` in place, keeping botocore's order."""
    methods = [member.METHOD for member in resolver.providers]
    if name in methods:
        resolver.providers[methods.index(name)] = provider


def _bound_resolver(botocore_session: Any, environ: Mapping[str, str], imds_timeout: int) -> Any:
    """botocore's default credential chain with every environment reader bound to ``environ``."""
    from botocore import credentials as botocreds
    from botocore.utils import InstanceMetadataFetcher

    env = dict(environ)
    resolver = botocreds.create_credential_resolver(botocore_session)
    env_provider = botocreds.EnvProvider(environ=env)
    container_provider = botocreds.ContainerProvider(environ=env)
    imds_provider = botocreds.InstanceMetadataProvider(
        iam_role_fetcher=InstanceMetadataFetcher(
            timeout=imds_timeout, num_attempts=1, env=env, user_agent=botocore_session.user_agent(),
            config={"ec2_metadata_service_endpoint": botocore_session.get_config_variable(
                "ec2_metadata_service_endpoint")}))
    _swap(resolver, "env", env_provider)
    _swap(resolver, "container-role", container_provider)
    _swap(resolver, "iam-role", imds_provider)
    _swap(resolver, "ec2-credentials-file", botocreds.OriginalEC2Provider(environ=env))
    _swap(resolver, "boto-config", botocreds.BotoProvider(environ=env))
    # The two assume-role providers are rebuilt with botocore's public constructor arguments, as
    # create_credential_resolver builds them, so that credential_source=Environment and AWS_ROLE_ARN read
    # ``env``; tests/test_module_session.py fails if a botocore release stops honouring them.
    profile_name = botocore_session.get_config_variable("profile") or "default"
    cache: dict[str, Any] = {}
    client_creator = _client_creator(botocore_session)
    _swap(resolver, "assume-role", botocreds.AssumeRoleProvider(
        load_config=lambda: botocore_session.full_config, client_creator=client_creator, cache=cache,
        profile_name=profile_name,
        credential_sourcer=botocreds.CanonicalNameCredentialSourcer([env_provider, container_provider, imds_provider]),
        profile_provider_builder=botocreds.ProfileProviderBuilder(botocore_session, cache=cache)))
    if botocore_session.instance_variables().get("profile") is None:
        # An explicit profile turns the environment off for this provider in botocore: it stays as built.
        _swap(resolver, "assume-role-with-web-identity", botocreds.AssumeRoleWithWebIdentityProvider(
            load_config=lambda: _web_identity_config(botocore_session, env, profile_name),
            client_creator=client_creator, profile_name=profile_name, cache=cache, disable_env_vars=True))
    return resolver


def bound_botocore_session(inputs: SessionInputs) -> Any:
    """A botocore session whose config, shared files, credential chain and IMDS see only ``inputs``."""
    import botocore.session
    from botocore.configprovider import ConfigValueStore

    botocore_session = botocore.session.Session()
    botocore_session.register_component("config_store", ConfigValueStore(
        mapping=_config_mapping(botocore_session, inputs.environ)))
    botocore_session.set_config_variable("credentials_file", str(inputs.credentials_file))
    botocore_session.set_config_variable("config_file", str(inputs.config_file))
    botocore_session.lazy_register_component(  # resolved when first needed, as botocore's own loader is
        "data_loader", lambda: shared_loader(botocore_session.get_config_variable("data_path")))
    botocore_session.set_config_variable("metadata_service_timeout", inputs.imds_timeout)
    botocore_session.set_config_variable("metadata_service_num_attempts", 1)
    botocore_session.lazy_register_component(
        "credential_provider",
        lambda: _bound_resolver(botocore_session, inputs.environ, inputs.imds_timeout))
    return botocore_session


def module_boto3_session(
    inputs: SessionInputs,
    *,
    profile_name: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
    session_token: str | None = None,
    region_name: str | None = None,
) -> boto3.session.Session:
    """``boto3.Session(**conn_args)`` as the module builds it, over the module's environment and files.

    Raises what boto3 raises (ProfileNotFound, ConfigParseError...), so callers can predict the module's
    reaction to the same exception.
    """
    import boto3

    return boto3.session.Session(
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        aws_session_token=session_token,
        region_name=region_name,
        profile_name=profile_name,
        botocore_session=bound_botocore_session(inputs),
    )
