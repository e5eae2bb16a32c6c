# syntax=docker/dockerfile:1
# Multi-stage: compile and bundle with dev dependencies, ship only the bundle, run as the unprivileged
# `node` user under an init process so that SIGTERM reaches the agent and zombies are reaped.

# The base image is pinned to one Node release on one Debian release, for build and run alike: a
# rebuild months later runs what was tested. Pin its digest too where the registry is reachable:
#   docker buildx imagetools inspect node:20.20.2-bookworm-slim   (then NODE_IMAGE=...@sha256:...)
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY build.mjs ./
RUN npm run build

FROM ${NODE_IMAGE}
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
# `health` finds the agent as its config says (ELA_CONFIG above, with any ELA_HTTP__* override):
# the socket, or the host and port, and the token. About 0.1 s of CPU every 30 s; healthy means
# answering, ready or not: an agent waiting for the licence server is not helped by a restart.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "/opt/edge-license-agent/dist/bin/main.js", "health"]
# Node options as in systemd/edge-license-agent.service (see the comment on its ExecStart).
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--max-semi-space-size=2", "/opt/edge-license-agent/dist/bin/main.js"]
CMD ["run"]
