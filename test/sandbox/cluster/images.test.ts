import { describe, expect, it } from 'vitest';
import { parseImage, pullImage } from '../../../sandbox/cluster/controller/images.js';
import { selectScenarios } from '../../../sandbox/cluster/scenarios/index.js';

describe('the registries the sandbox nodes pull from', () => {
  it('every image the scenarios run pulls, but for the one tag that is their fault', () => {
    const images = selectScenarios().flatMap((s) => s.workloads.flatMap((w) => w.revisions.flatMap((r) => r.template.spec.containers.map((c: { image: string }) => c.image))));
    expect(images.length).toBeGreaterThan(10);
    expect(images.filter((i) => !pullImage(i).ok)).toEqual(['registry.example.com/shop/frontend:2.3.1-typo']);
  });

  it('parses references as containerd does', () => {
    expect(parseImage('redis').normalized).toBe('docker.io/library/redis:latest');
    expect(parseImage('bitnami/redis:7').normalized).toBe('docker.io/bitnami/redis:7');
    expect(parseImage('localhost:5000/app:1').normalized).toBe('localhost:5000/app:1');
    expect(parseImage('quay.io/prometheus/node-exporter@sha256:abc').normalized).toBe('quay.io/prometheus/node-exporter@sha256:abc');
    expect(pullImage('quay.io/prometheus/node-exporter@sha256:abc')).toEqual({ ok: true, known: true });
    expect(pullImage('registry.k8s.io/kube-proxy:v1.33.0').ok).toBe(false);
  });
});
