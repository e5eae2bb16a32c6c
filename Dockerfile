# syntax=docker/dockerfile:1
# Multi-stage: compile and bundle with dev dependencies, ship only the bundle, run as the unprivileged
# `node` user under an init process so that SIGTERM reaches the agent and zombies are reaped.

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY build.mjs ./
RUN npm run build

FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/edge-license-agent
COPY --from=build /src/package.json ./
# The bundle carries every runtime dependency: no node_modules in the image.
COPY --from=build /src/dist/bin ./dist/bin
# config/ carries the vendor's public key (the default licensespring.publicKeyFile) and the example.
COPY config ./config
RUN mkdir -p /var/lib/edge-license-agent && chown node:node /var/lib/edge-license-agent
USER node
# The image runs the operator's config, mounted at /etc/edge-license-agent/agent.yaml; without one
# it exits 78 naming the file. It never falls back to the sandbox: to try the sandbox, say so with
#   -e ELA_CONFIG=/opt/edge-license-agent/config/agent.example.yaml
ENV NODE_ENV=production \
    ELA_CONFIG=/etc/edge-license-agent/agent.yaml \
    ELA_STATE_DIRECTORY=/var/lib/edge-license-agent
VOLUME ["/var/lib/edge-license-agent"]
# The local API stays on loopback: run with host networking on the device, or override
# ELA_HTTP__HOST where another container must reach it.
EXPOSE 7311
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:7311/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node options as in systemd/edge-license-agent.service (see the comment on its ExecStart).
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--max-semi-space-size=2", "/opt/edge-license-agent/dist/bin/main.js"]
CMD ["run"]
