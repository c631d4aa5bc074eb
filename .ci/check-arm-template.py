#!/usr/bin/env python3
"""Checks the ARM template compiled from infra/main.bicep for the properties the deployment
relies on: Entra-ID-only data planes, dead-lettering and duplicate detection, scale to zero on
queue depth with a managed identity, probes, a GPU workload profile, a scheduled rescoring job,
and no privileged or key-based access. Usage: check-arm-template.py main.json"""
import json
import sys

PRIVILEGED_ROLES = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
    "b24988ac-6180-42a0-ab88-20f7381ad24c": "Contributor",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
    "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
}

problems = []


def check(condition, message):
    if not condition:
        problems.append(message)


def resources(template, module="main"):
    """Every resource declared (not merely referenced) in the template and its modules."""
    items = template["resources"]
    for symbol, resource in items.items() if isinstance(items, dict) else enumerate(items):
        if resource.get("existing"):
            continue
        if resource["type"] == "Microsoft.Resources/deployments":
            yield from resources(resource["properties"]["template"], str(symbol))
        else:
            yield module, resource


def module_parameters(template, module):
    """The parameter declarations of a module deployed directly from main."""
    items = template["resources"]
    for symbol, resource in items.items() if isinstance(items, dict) else enumerate(items):
        if str(symbol) == module and resource["type"] == "Microsoft.Resources/deployments":
            return resource["properties"]["template"].get("parameters", {})
    return {}


def of_type(all_resources, resource_type):
    found = [(m, r) for m, r in all_resources if r["type"] == resource_type]
    check(found, f"no {resource_type} in the template")
    return found


def main(path):
    text = open(path, encoding="utf-8").read()
    template = json.loads(text)
    everything = list(resources(template))

    for module, ns in of_type(everything, "Microsoft.ServiceBus/namespaces"):
        check(ns["properties"].get("disableLocalAuth") is True, f"{module}: Service Bus namespace allows SAS keys")
    for module, queue in of_type(everything, "Microsoft.ServiceBus/namespaces/queues"):
        props = queue["properties"]
        check(props.get("deadLetteringOnMessageExpiration") is True, f"{module}: queue {queue['name']} drops expired messages")
        check("lockDuration" in props and "maxDeliveryCount" in props, f"{module}: queue {queue['name']} lacks lock duration or max delivery count")
    check(any(q["properties"].get("requiresDuplicateDetection") is True for _, q in of_type(everything, "Microsoft.ServiceBus/namespaces/queues")),
          "no queue with duplicate detection (the jobs queue needs it)")

    for module, account in of_type(everything, "Microsoft.Storage/storageAccounts"):
        props = account["properties"]
        check(props.get("allowSharedKeyAccess") is False, f"{module}: storage account allows shared keys")
        check(props.get("allowBlobPublicAccess") is False, f"{module}: storage account allows public blobs")
    for module, registry in of_type(everything, "Microsoft.ContainerRegistry/registries"):
        check(registry["properties"].get("adminUserEnabled") is False, f"{module}: registry admin user enabled")

    for module, env in of_type(everything, "Microsoft.App/managedEnvironments"):
        # The GPU profile is built from the gpuProfileType parameter, so the list is an expression.
        profiles = json.dumps(env["properties"].get("workloadProfiles", []))
        check("gpuProfile" in profiles, f"{module}: the environment has no GPU workload profile")
        gpu_types = module_parameters(template, module).get("gpuProfileType", {}).get("allowedValues", [])
        check(gpu_types and all("GPU" in t or "A100" in t for t in gpu_types), f"{module}: gpuProfileType allows non-GPU profiles: {gpu_types}")
    for module, app in of_type(everything, "Microsoft.App/containerApps"):
        t = app["properties"]["template"]
        check(t["scale"].get("minReplicas") == 0, f"{module}: worker does not scale to zero")
        rules = t["scale"].get("rules", [])
        check(rules and all(r.get("custom", {}).get("type") == "azure-servicebus" and r["custom"].get("identity") for r in rules),
              f"{module}: scale rules must be azure-servicebus with a managed identity")
        check("terminationGracePeriodSeconds" in t, f"{module}: no termination grace period")
        check(app["properties"].get("workloadProfileName"), f"{module}: worker not on a workload profile")
        for container in t["containers"]:
            paths = {p["type"]: p["httpGet"]["path"] for p in container.get("probes", [])}
            check(paths.get("Liveness") == "/healthz/live" and paths.get("Readiness") == "/healthz/ready",
                  f"{module}: container {container['name']} probes {paths}")
    for module, job in of_type(everything, "Microsoft.App/jobs"):
        config = job["properties"]["configuration"]
        check(config.get("triggerType") == "Schedule" and config.get("scheduleTriggerConfig", {}).get("cronExpression"),
              f"{module}: rescoring job is not scheduled")

    for module, assignment in of_type(everything, "Microsoft.Authorization/roleAssignments"):
        check(assignment["properties"].get("principalType") == "ServicePrincipal", f"{module}: role assignment {assignment['name']} lacks principalType")
    for guid, role in PRIVILEGED_ROLES.items():
        check(guid not in text.lower(), f"the template assigns the privileged role {role}")
    check("listkeys(" not in text.lower(), "the template reads account keys (listKeys)")

    if problems:
        print("\n".join(f"check-arm-template: {p}" for p in problems), file=sys.stderr)
        return 1
    print(f"check-arm-template: {len(everything)} resources checked, no problems")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
