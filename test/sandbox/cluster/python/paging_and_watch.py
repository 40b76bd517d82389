"""The official Python client against the sandbox: paged lists and a watch.

Usage: python3 paging_and_watch.py <kubeconfig> <namespace>. Prints one JSON object.
"""
import json
import sys

from kubernetes import client, config, watch

config.load_kube_config(config_file=sys.argv[1])
namespace = sys.argv[2]
v1 = client.CoreV1Api()
out = {}

# Every pod, two at a time, following the continue token.
names, versions, token, pages = [], [], None, 0
while True:
    kwargs = {"limit": 2}
    if token:
        kwargs["_continue"] = token
    page = v1.list_pod_for_all_namespaces(**kwargs)
    pages += 1
    if pages == 1:
        out["remainingItemCount"] = page.metadata.remaining_item_count
    versions.append(page.metadata.resource_version)
    names += [f"{p.metadata.namespace}/{p.metadata.name}" for p in page.items]
    token = page.metadata._continue
    if not token:
        break
out.update(pages=pages, names=names, versions=versions)

# A watch from the list's version: the ConfigMap created after it arrives as ADDED; the
# change made once that is seen arrives as MODIFIED.
version = v1.list_namespaced_config_map(namespace).metadata.resource_version
v1.create_namespaced_config_map(namespace, {"metadata": {"name": "py-watched"}, "data": {"k": "v1"}})
events = []
w = watch.Watch()
for event in w.stream(v1.list_namespaced_config_map, namespace=namespace, resource_version=version, timeout_seconds=20):
    events.append([event["type"], event["object"].metadata.name, (event["object"].data or {}).get("k")])
    if event["type"] == "ADDED":
        v1.patch_namespaced_config_map("py-watched", namespace, {"data": {"k": "v2"}})
    if event["type"] == "MODIFIED":
        w.stop()
out["events"] = events
print(json.dumps(out))
