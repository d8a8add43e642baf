# The dbfork image the Kubernetes Jobs run (deploy/helm/dbfork, `dbfork preview manifests`):
#   docker build -t ghcr.io/dbfork/dbfork:0.1.0 .
# The build stage compiles and packs the package exactly as it is published (npm pack); the runtime
# stage installs that tarball with production dependencies only and runs it as an unprivileged user.
# Base images are pinned to an exact Node.js release (pin a digest as well where your registry allows).

FROM node:24.9.0-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --no-audit --no-fund
COPY src ./src
COPY schemas ./schemas
COPY examples ./examples
# the CycloneDX SBOM of the runtime dependencies ships in the package (dist/sbom.cdx.json); it fails
# unless the tree is exactly the lockfile's
RUN npm run build && npm run sbom && npm pack --pack-destination /tmp && mv /tmp/dbfork-*.tgz /tmp/dbfork.tgz

FROM node:24.9.0-bookworm-slim
ENV NODE_ENV=production
COPY --from=build /tmp/dbfork.tgz /tmp/dbfork.tgz
RUN npm install --global --omit=dev --no-audit --no-fund /tmp/dbfork.tgz \
  && rm /tmp/dbfork.tgz \
  && npm cache clean --force \
  && groupadd --system --gid 10001 dbfork \
  && useradd --system --uid 10001 --gid dbfork --home-dir /tmp --shell /usr/sbin/nologin dbfork
# The uid the Jobs' securityContext names (runAsUser: 10001); numeric, so runAsNonRoot can verify it.
USER 10001:10001
WORKDIR /tmp
ENTRYPOINT ["dbfork"]
CMD ["--help"]
