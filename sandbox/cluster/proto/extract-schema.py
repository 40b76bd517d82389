#!/usr/bin/env python3
"""Writes schema.json: the protobuf field numbers of the Kubernetes kinds the sandbox serves.

Kubernetes clients send built-in objects as protobuf (kubectl create namespace, configmap,
job...), so the sandbox decodes them with this table. Inputs are checkouts of
github.com/kubernetes/api and github.com/kubernetes/apimachinery (their generated.proto and
types.go; field numbers never change, so any recent version will do):

    python3 extract-schema.py <api checkout> <apimachinery checkout> > schema.json

Each message maps a field number to [name, type, label]: name is the JSON name, or "" when
the field's struct is inlined into its parent in JSON (Volume.volumeSource, Probe.handler);
type is a scalar, a full message name or "map:<key type>:<value type>"; label is "o"
(optional), "p" (optional, a Go pointer: a zero value is still a value) or "r" (repeated).
"""
import json, os, re, sys

api, machinery = sys.argv[1], sys.argv[2]
groups = ['core/v1', 'apps/v1', 'batch/v1', 'policy/v1', 'storage/v1', 'coordination/v1', 'discovery/v1', 'rbac/v1', 'autoscaling/v1', 'autoscaling/v2', 'events/v1', 'authorization/v1']
files = [os.path.join(api, g) for g in groups] + [os.path.join(machinery, p) for p in ['pkg/apis/meta/v1', 'pkg/api/resource', 'pkg/runtime', 'pkg/util/intstr']]
roots = ['Namespace', 'Node', 'Pod', 'Event', 'Service', 'Endpoints', 'ConfigMap', 'Secret', 'ServiceAccount', 'PersistentVolumeClaim', 'PersistentVolume',
         'ResourceQuota', 'LimitRange', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'HorizontalPodAutoscaler', 'EndpointSlice',
         'StorageClass', 'PodDisruptionBudget', 'Lease', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'Scale', 'Eviction', 'DeleteOptions',
         'SubjectAccessReview', 'SelfSubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectRulesReview', 'Unknown', 'Status']
scalars = {'string', 'bytes', 'bool', 'int32', 'int64', 'uint32', 'uint64', 'double', 'float', 'fixed32', 'fixed64', 'sint32', 'sint64'}

messages = {}
for d in files:
    proto = open(os.path.join(d, 'generated.proto')).read()
    package = re.search(r'^package ([\w.]+);', proto, re.M).group(1)
    # JSON names and inlining from the Go structs' tags.
    jsonOf = {}
    types = os.path.join(d, 'types.go')
    if os.path.exists(types):
        struct = None
        for line in open(types):
            m = re.match(r'^type (\w+) struct', line)
            if m: struct = m.group(1); continue
            t = re.search(r'json:"([^"]*)".*protobuf:"[^"]*name=(\w+)', line)
            if struct and t:
                jname = t.group(1).split(',')[0]
                pointer = re.match(r'^\s*\w+\s+\*', line) is not None
                jsonOf[(struct, t.group(2))] = (jname, pointer)
    current = None
    for line in proto.splitlines():
        line = line.strip()
        m = re.match(r'^message (\w+) \{', line)
        if m:
            current = f'{package}.{m.group(1)}'
            messages[current] = {'package': package, 'fields': {}}
            continue
        if line == '}': current = None; continue
        if not current: continue
        m = re.match(r'^(optional|repeated|required)?\s*(map<\s*(\w+),\s*([\w.]+)\s*>|[\w.]+) (\w+) = (\d+);', line)
        if not m: continue
        label, kind, key, value, name, number = m.groups()
        def qualify(t):
            if t in scalars: return t
            if '.' in t: return t.lstrip('.')
            return f'{package}.{t}'
        typ = f'map:{key}:{qualify(value)}' if key else qualify(kind)
        short = current.split('.')[-1]
        jname, pointer = jsonOf.get((short, name), (name, False))
        messages[current]['fields'][number] = [jname, typ, 'r' if label == 'repeated' else 'p' if pointer else 'o']

wanted, todo = set(), [n for n in messages if n.split('.')[-1] in roots]
while todo:
    n = todo.pop()
    if n in wanted or n not in messages: continue
    wanted.add(n)
    for _, typ, _ in messages[n]['fields'].values():
        t = typ.split(':')[-1]
        if t not in scalars: todo.append(t)
out = {n: messages[n]['fields'] for n in sorted(wanted)}
json.dump(out, sys.stdout, separators=(',', ':'), sort_keys=True)
print()
