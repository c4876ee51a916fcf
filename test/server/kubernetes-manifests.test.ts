// manifests/kubernetes: every object validated against the Kubernetes schemas (kubernetes-models) or,
// for CRDs, a schema of the fields we use; and the pieces that must agree with the server do.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { z } from "zod";
import { DEFAULT_PORT, FILE_VARIABLES, SECRET_VARIABLES } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { type RunningServer, startServer } from "../../src/server/start.js";
import { captureLines, fakeHandler, SLACK_ENV, send, testConfig } from "./helpers.js";

const DIR = join(import.meta.dirname, "..", "..", "manifests", "kubernetes");
type Doc = { apiVersion: string; kind: string; metadata: { name: string }; [k: string]: unknown };

function load(file: string): Doc {
  const docs = parseAllDocuments(readFileSync(join(DIR, file), "utf8"));
  expect(docs, `${file} holds one document`).toHaveLength(1);
  const doc = docs[0];
  expect(doc?.errors ?? []).toEqual([]);
  return doc?.toJS() as Doc;
}

const GUID = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const meta = z
  .object({ name: z.string().min(1), labels: z.record(z.string(), z.string()).optional() })
  .strict();

/** The SecretProviderClass fields we use (secrets-store.csi.x-k8s.io/v1 with the Azure provider's parameters). */
const SecretProviderClass = z
  .object({
    apiVersion: z.literal("secrets-store.csi.x-k8s.io/v1"),
    kind: z.literal("SecretProviderClass"),
    metadata: meta,
    spec: z
      .object({
        provider: z.literal("azure"),
        parameters: z
          .object({
            usePodIdentity: z.literal("false"),
            clientID: GUID,
            keyvaultName: z.string().regex(/^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/),
            tenantId: GUID,
            objects: z.string(),
          })
          .strict(),
      })
      .strict(),
  })
  .strict();
const KeyVaultObject = z
  .object({
    // Key Vault secret names: letters, digits and dashes only.
    objectName: z.string().regex(/^[a-zA-Z0-9-]{1,127}$/),
    objectType: z.literal("secret"),
    objectAlias: z.string(),
  })
  .strict();

/** The HTTPRoute fields we use (gateway.networking.k8s.io/v1). */
const HTTPRoute = z
  .object({
    apiVersion: z.literal("gateway.networking.k8s.io/v1"),
    kind: z.literal("HTTPRoute"),
    metadata: meta,
    spec: z
      .object({
        parentRefs: z.array(z.object({ name: z.string(), namespace: z.string().optional() }).strict()).min(1),
        hostnames: z.array(z.string()).optional(),
        rules: z.array(
          z
            .object({
              matches: z.array(
                z
                  .object({
                    path: z
                      .object({ type: z.enum(["Exact", "PathPrefix"]), value: z.string().startsWith("/") })
                      .strict(),
                    method: z.enum(["GET", "POST"]).optional(),
                  })
                  .strict(),
              ),
              backendRefs: z.array(z.object({ name: z.string(), port: z.number().int() }).strict()),
            })
            .strict(),
        ),
      })
      .strict(),
  })
  .strict();

const Kustomization = z
  .object({
    apiVersion: z.literal("kustomize.config.k8s.io/v1beta1"),
    kind: z.literal("Kustomization"),
    labels: z.array(z.object({ pairs: z.record(z.string(), z.string()) }).strict()).optional(),
    resources: z.array(z.string()),
    images: z.array(z.object({ name: z.string(), newName: z.string(), newTag: z.string() }).strict()),
  })
  .strict();

const deployment = () => new Deployment(load("deployment.yaml") as never);
const container = () => {
  const c = deployment().spec?.template.spec?.containers[0];
  if (!c) throw new Error("no container");
  return c;
};

describe("manifests/kubernetes", () => {
  it("holds exactly the expected files", () => {
    expect(readdirSync(DIR).sort()).toEqual([
      "deployment.yaml",
      "hpa.yaml",
      "httproute.yaml",
      "kustomization.yaml",
      "pdb.yaml",
      "secretproviderclass.yaml",
      "service.yaml",
      "serviceaccount.yaml",
    ]);
  });

  it("validates the core objects against the Kubernetes schemas", () => {
    for (const [file, Model] of [
      ["deployment.yaml", Deployment],
      ["service.yaml", Service],
      ["hpa.yaml", HorizontalPodAutoscaler],
      ["pdb.yaml", PodDisruptionBudget],
      ["serviceaccount.yaml", ServiceAccount],
    ] as const) {
      const model = new (Model as new (d: unknown) => { validate(): void })(load(file));
      expect(() => model.validate(), file).not.toThrow();
    }
  });

  it("the schema check is real: a broken Deployment is refused", () => {
    const broken = load("deployment.yaml") as unknown as { spec: { replicas: unknown } };
    broken.spec.replicas = "two";
    expect(() => new Deployment(broken as never).validate()).toThrow(/replicas/);
  });

  it("validates the SecretProviderClass, the HTTPRoute and the kustomization against the fields they use", () => {
    expect(() => SecretProviderClass.parse(load("secretproviderclass.yaml"))).not.toThrow();
    expect(() => HTTPRoute.parse(load("httproute.yaml"))).not.toThrow();
    expect(() => Kustomization.parse(load("kustomization.yaml"))).not.toThrow();
  });

  it("runs at least 2 non-root replicas with a read-only root, resources and no privilege escalation", () => {
    const d = deployment();
    expect(d.spec?.replicas).toBeGreaterThanOrEqual(2);
    const pod = d.spec?.template.spec;
    expect(pod?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    const c = container();
    expect(c.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(c.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.resources?.limits).toMatchObject({ memory: expect.any(String) });
    // The heap limits are the image's (Dockerfile NODE_OPTIONS, which the benchmarks measure).
    expect(c.env?.find((e) => e.name === "NODE_OPTIONS")).toBeUndefined();
  });

  it("listens on the server's default PORT and points probes at a named port", () => {
    const c = container();
    expect(c.ports).toEqual([{ name: "http", containerPort: DEFAULT_PORT, protocol: "TCP" }]);
    expect(c.env?.find((e) => e.name === "PORT")?.value).toBe(String(DEFAULT_PORT));
    expect(c.livenessProbe?.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(c.readinessProbe?.httpGet).toEqual({ path: "/readyz", port: "http" });
    expect(deployment().spec?.template.metadata?.annotations?.["prometheus.io/port"]).toBe(
      String(DEFAULT_PORT),
    );
    const svc = new Service(load("service.yaml") as never);
    expect(svc.spec?.ports?.[0]?.targetPort).toBe("http");
    expect(svc.spec?.selector).toEqual(deployment().spec?.selector.matchLabels);
  });

  it("fits preStop + the server's shutdown deadline inside the grace period", () => {
    const d = deployment();
    const c = container();
    const preStop = c.lifecycle?.preStop?.exec?.command;
    expect(preStop?.[0]).toBe("sleep");
    const sleepS = Number(preStop?.[1]);
    const shutdownS = Number(c.env?.find((e) => e.name === "SHUTDOWN_TIMEOUT_MS")?.value) / 1000;
    const grace = d.spec?.template.spec?.terminationGracePeriodSeconds ?? 30;
    expect(sleepS).toBeGreaterThan(0);
    expect(sleepS + shutdownS + 2).toBeLessThan(grace);
  });

  it("wires Workload Identity and mounts every Key Vault object as a file the server reads", () => {
    const sa = load("serviceaccount.yaml") as unknown as {
      metadata: { annotations: Record<string, string> };
    };
    const spc = SecretProviderClass.parse(load("secretproviderclass.yaml"));
    const d = deployment();
    const pod = d.spec?.template;
    expect(pod?.metadata?.labels?.["azure.workload.identity/use"]).toBe("true");
    expect(pod?.spec?.serviceAccountName).toBe("upstream-bot");
    expect(sa.metadata.annotations["azure.workload.identity/client-id"]).toBe(spc.spec.parameters.clientID);

    const volume = pod?.spec?.volumes?.find((v) => v.csi);
    expect(volume?.csi).toEqual({
      driver: "secrets-store.csi.k8s.io",
      readOnly: true,
      volumeAttributes: { secretProviderClass: spc.metadata.name },
    });
    const mount = container().volumeMounts?.find((m) => m.name === volume?.name);
    expect(container().env?.find((e) => e.name === "SECRETS_DIR")?.value).toBe(mount?.mountPath);

    const objects = (parse(spc.spec.parameters.objects) as { array: string[] }).array.map((o) =>
      KeyVaultObject.parse(parse(o)),
    );
    const aliases = objects.map((o) => o.objectAlias);
    for (const a of aliases) expect(FILE_VARIABLES).toContain(a);
    for (const s of SECRET_VARIABLES.filter((n) => n !== "SLACK_APP_TOKEN")) expect(aliases).toContain(s);
    // Secrets come from the mount only, never as plain env values in the manifest.
    for (const e of container().env ?? []) expect(FILE_VARIABLES as readonly string[]).not.toContain(e.name);
  });

  it("scales and protects the same Deployment", () => {
    const hpa = new HorizontalPodAutoscaler(load("hpa.yaml") as never);
    expect(hpa.spec?.scaleTargetRef).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: "upstream-bot",
    });
    expect(hpa.spec?.minReplicas).toBeGreaterThanOrEqual(2);
    const pdb = new PodDisruptionBudget(load("pdb.yaml") as never);
    expect(pdb.spec?.selector?.matchLabels).toEqual(deployment().spec?.selector.matchLabels);
  });

  it("exposes only the two webhook routes through the HTTPRoute, to the Service", () => {
    const route = HTTPRoute.parse(load("httproute.yaml"));
    const paths = route.spec.rules.flatMap((r) =>
      r.matches.map((m) => `${m.method} ${m.path.type} ${m.path.value}`),
    );
    expect(paths.sort()).toEqual(["POST Exact /api/messages", "POST Exact /slack/events"]);
    const svc = new Service(load("service.yaml") as never);
    expect(route.spec.rules[0]?.backendRefs).toEqual([
      { name: svc.metadata?.name, port: svc.spec?.ports?.[0]?.port },
    ]);
  });

  it("lists every manifest but the optional HTTPRoute in kustomization.yaml, and sets the container's image", () => {
    const k = Kustomization.parse(load("kustomization.yaml"));
    const files = readdirSync(DIR).filter((f) => f !== "kustomization.yaml" && f !== "httproute.yaml");
    expect([...k.resources].sort()).toEqual(files.sort());
    expect(container().image?.split(":")[0]).toBe(k.images[0]?.name);
  });
});

describe("the probe paths answer on the real server", () => {
  let running: RunningServer;
  beforeAll(async () => {
    running = await startServer(testConfig(SLACK_ENV), {
      factories: { slack: async () => fakeHandler(), teams: () => fakeHandler() },
      logger: createLogger({ destination: captureLines() }),
    });
  });
  afterAll(() => running.shutdown("test over"));

  it("serves every probe path and the Prometheus annotation's path", async () => {
    const c = container();
    const paths = [
      c.livenessProbe?.httpGet?.path,
      c.readinessProbe?.httpGet?.path,
      c.startupProbe?.httpGet?.path,
      deployment().spec?.template.metadata?.annotations?.["prometheus.io/path"],
    ];
    for (const p of paths) expect((await send(running.url, p ?? "/missing")).status, p).toBe(200);
  });
});
