"""docker-compose.yml, checked without Docker (no engine on the CI machine): it parses, has every
service the README's Operations section names, and hands the app only settings it reads."""

import json
import re
import shlex
from pathlib import Path

import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
APP_SERVICES = ("setup", "web1", "web2", "worker", "beat")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _operations_services() -> list[str]:
    """The services listed under README "### What to run": lines "- `name`, `name` — …"."""
    section = README.split("### What to run", 1)[1].split("\n### ", 1)[0]
    names = []
    for line in section.splitlines():
        if line.startswith("- `"):
            names += re.findall(r"`([a-z0-9-]+)`", line.split(" — ", 1)[0])
    return names


def _settings_variables() -> set[str]:
    text = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r"env_(?:str|bool|int|list)\(\s*\"([A-Z0-9_]+)\"", text))


def test_the_stack_has_every_part_and_the_readme_names_each():
    expected = {"web1", "web2", "worker", "beat", "redis", "db", "db-replica", "search", "s3"}
    expected |= {"stripe-mock", "nginx", "setup"}
    assert set(SERVICES) == expected
    assert sorted(_operations_services()) == sorted(expected)


def test_app_services_get_only_variables_the_settings_read():
    known = _settings_variables()
    assert {"DATABASE_URL", "MEDIA_S3_ENDPOINT", "SEARCH_URL"} <= known  # the reader works
    for name in APP_SERVICES:
        environment = SERVICES[name]["environment"]
        assert set(environment) - known == set(), name
    env = SERVICES["web1"]["environment"]
    for name in APP_SERVICES:  # one configuration for all: a node differs from none
        assert SERVICES[name]["environment"] == env, name
    for key in ("MEDIA_S3_ENDPOINT", "DATABASE_URL", "SEARCH_URL", "STRIPE_API_BASE"):
        assert key in env, key


def _host(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[0].split("@")[-1].split(":")[0]


def test_every_address_the_app_is_given_is_a_service():
    env = SERVICES["web1"]["environment"]
    aliases = {
        alias
        for service in SERVICES.values()
        for network in (service.get("networks") or {}).values()
        for alias in (network or {}).get("aliases", [])
    }
    for key, value in env.items():
        for url in str(value).split(","):
            if "://" in url and key != "SITE_URL":
                assert _host(url) in set(SERVICES) | aliases, (key, url)


def test_dependencies_volumes_and_mounted_files_exist():
    declared = set(COMPOSE.get("volumes") or {})
    for name, service in SERVICES.items():
        for dependency in service.get("depends_on") or {}:
            assert dependency in SERVICES, (name, dependency)
        for mount in service.get("volumes") or []:
            source = mount.split(":", 1)[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), (name, source)
            else:
                assert source in declared, (name, source)
        build = service.get("build")
        if isinstance(build, dict):
            assert (ROOT / build["context"] / build.get("dockerfile", "Dockerfile")).exists()
        elif build:
            assert (ROOT / build / "Dockerfile").exists()


def _words(service) -> list[str]:
    command = service.get("command") or ""
    return shlex.split(command) if isinstance(command, str) else list(command)


def test_commands_name_make_targets_and_management_commands_that_exist():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.MULTILINE))
    commands = set(get_commands())
    for name in APP_SERVICES:
        words = " ".join(_words(SERVICES[name]))
        for target in re.findall(r"\bmake ([a-z][a-z-]*)", words):
            assert target in targets, (name, target)
        for command in re.findall(r"manage\.py ([a-z_]+)", words):
            assert command in commands, (name, command)


def test_nginx_balances_both_web_nodes_on_the_port_they_serve():
    conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    upstream = set(re.findall(r"server (\w+):(\d+)", conf))
    for node in ("web1", "web2"):
        port = re.search(r"PORT=(\d+)", SERVICES[node]["command"]).group(1)
        assert (node, port) in upstream
    assert "proxy_next_upstream" in conf
    mounts = SERVICES["nginx"]["volumes"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in mounts


def test_s3_keys_and_bucket_access_match_the_server_config():
    env = SERVICES["web1"]["environment"]
    identities = json.loads((ROOT / "deploy" / "s3.json").read_text(encoding="utf-8"))
    by_name = {i["name"]: i for i in identities["identities"]}
    assert {"accessKey": env["MEDIA_S3_ACCESS_KEY"], "secretKey": env["MEDIA_S3_SECRET_KEY"]} in (
        by_name["ocop"]["credentials"]
    )
    # Anonymous users read the public bucket only: the private one needs a signature.
    assert by_name["anonymous"]["actions"] == [f"Read:{env['MEDIA_S3_BUCKET']}"]
    assert env["MEDIA_S3_PRIVATE_BUCKET"] != env["MEDIA_S3_BUCKET"]
    assert "-s3.config=/etc/seaweedfs/s3.json" in SERVICES["s3"]["command"]
