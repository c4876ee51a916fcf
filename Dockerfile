# upstream-bot server image. Build: docker build -t upstream-bot .   Run: see README "Running the container".
# Node 20 images are no longer published; the code stays compatible with Node >= 20 (package.json engines).
ARG NODE_IMAGE=node:22-bookworm-slim

# --- build: dev dependencies, TypeScript → dist/ ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `prepare` would run tsc before the sources are copied; the build runs explicitly below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

# --- runtime: production dependencies, the built code and the bundled catalog only ---
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3978
# Heap limits: Node sizes its heap from all the memory it sees, so without them V8 lets garbage
# pile up far past what the server keeps live (~30–60 MB) before a full collection.
# One V8 worker thread: Node starts four for the collector whatever CPU the pod may use, and on
# the one CPU of the Deployment's limit they take turns with the main thread, which then waits on
# them in every full GC (Teams p99 at 200 req/s: ~22 ms with four, ~7 ms with one).
# Measured with `npm run bench` / `npm run bench:soak` (docs/benchmarks.md). The benchmarks read this line.
ENV NODE_OPTIONS="--max-old-space-size=96 --max-semi-space-size=2 --v8-pool-size=1"
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY data ./data
# The image's unprivileged user (uid 1000); the Kubernetes manifests run it with runAsNonRoot and a read-only root.
USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself (npm would swallow it); the server installs
# SIGTERM/SIGINT handlers and drains before exiting. No child processes, so no zombie reaping is needed.
CMD ["node", "dist/terminal/cli.js", "serve"]
