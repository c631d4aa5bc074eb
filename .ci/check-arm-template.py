#!/usr/bin/env python3
"""Checks the ARM template compiled from infra/main.bicep for the properties the deployment
relies on: Entra-ID-only data planes, dead-lettering and duplicate detection, scale to zero on
queue depth with a managed identity, probes, a GPU workload profile, a scheduled rescoring job,
no privileged or key-based access, and for the scoring API app (the one with ingress) internal
ingress, Entra ID and a concurrent-request scale rule. Usage: check-arm-template.py main.json"""
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


def same_value(value):
    """A literal or an ARM reference with any string() around it removed: 8081, '8081' and [string(X)] read as X."""
    text = str(value)
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
        while text.startswith("string(") and text.endswith(")"):
            text = text[len("string("):-1]
    return text


def call_arguments(text, start):
    """The top-level arguments of the call whose '(' is at text[start], as source text, and the index after its ')'."""
    args, depth, quoted, begin = [], 0, False, start + 1
    for i in range(start, len(text)):
        c = text[i]
        if c == "'":
            quoted = not quoted
        elif not quoted and c in "([":
            depth += 1
        elif not quoted and c in ")]":
            depth -= 1
            if depth == 0:
                args.append(text[begin:i].strip())
                return args, i + 1
        elif not quoted and c == "," and depth == 1:
            args.append(text[begin:i].strip())
            begin = i + 1
    raise ValueError(f"unbalanced call in {text}")


def environment(container):
    """A container's env as name -> value: a literal list, or the createObject('name', N, 'value', V) entries of an
    expression such as [concat(createArray(...), variables('roleEnvironment'))] (values as [expressions] or literals)."""
    env = container.get("env", [])
    if isinstance(env, list):
        return {e["name"]: e.get("value") for e in env}
    found, at = {}, env.find("createObject(")
    while at >= 0:
        args, end = call_arguments(env, at + len("createObject"))
        pairs = dict(zip(args[0::2], args[1::2]))
        name, value = pairs.get("'name'", "").strip("'"), pairs.get("'value'", "")
        found[name] = value[1:-1] if value.startswith("'") and value.endswith("'") else f"[{value}]"
        at = env.find("createObject(", end)
    return found


def check_http_api(module, app):
    """The scoring API app: internal ingress to the API port, Entra ID on every call, scaled on concurrent requests."""
    ingress = app["properties"]["configuration"]["ingress"]
    check(ingress.get("external") is False, f"{module}: the API's ingress must be internal (external: false)")
    check(ingress.get("allowInsecure") is not True, f"{module}: the API's ingress allows plain HTTP")
    t = app["properties"]["template"]
    rules = t["scale"].get("rules", [])
    check(rules and all(r.get("http", {}).get("metadata", {}).get("concurrentRequests") for r in rules),
          f"{module}: the API's scale rules must be http rules on concurrentRequests")
    for container in t["containers"]:
        env = environment(container)
        check(env.get("IpIqa__Transport__Kind") == "Http", f"{module}: the API app reads a queue (IpIqa__Transport__Kind={env.get('IpIqa__Transport__Kind')})")
        check(env.get("IpIqa__Http__Auth") == "EntraId" and env.get("IpIqa__Http__Authority") and env.get("IpIqa__Http__Audience"),
              f"{module}: the API app must set IpIqa__Http__Auth=EntraId with an authority and an audience")
        check("IpIqa__Http__AllowAnonymous" not in env, f"{module}: the API app must not allow anonymous callers")
        target, port = same_value(ingress.get("targetPort")), same_value(env.get("IpIqa__Http__Port"))
        check(target == port, f"{module}: ingress targets port {target}, the API listens on {port}")


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
    apps = of_type(everything, "Microsoft.App/containerApps")
    check(any(not a["properties"]["configuration"].get("ingress") for _, a in apps), "no queue worker (a container app without ingress)")
    for module, app in apps:
        t = app["properties"]["template"]
        rules = t["scale"].get("rules", [])
        if app["properties"]["configuration"].get("ingress"):
            check_http_api(module, app)
        else:
            check(t["scale"].get("minReplicas") == 0, f"{module}: worker does not scale to zero")
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
