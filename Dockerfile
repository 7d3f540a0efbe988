# pacific: GitOps reconciler for a Kubernetes-native vSphere (simulated inventory).
# Build:  docker build -t pacific .
# Run:    docker run -p 8080:8080 -v "$PWD/gitops.git:/repo:ro" -v pacific-state:/var/lib/pacific pacific
# Demo:   docker run -p 8080:8080 -v pacific-state:/var/lib/pacific pacific start --listen 0.0.0.0:8080

# The build stage has python3, make and g++ for better-sqlite3's native addon.
FROM node:22-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY daemon ./daemon
COPY bench ./bench
COPY console ./console
COPY schemas ./schemas
COPY sample-repo ./sample-repo
RUN npm ci && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/schemas ./schemas
COPY --from=build --chown=node:node /app/sample-repo ./sample-repo
RUN mkdir -p /var/lib/pacific /app/.pacific && chown node:node /var/lib/pacific /app/.pacific
USER node
VOLUME ["/var/lib/pacific"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/daemon/cli/main.js"]
CMD ["serve", "--repo", "/repo", "--state", "/var/lib/pacific", "--listen", "0.0.0.0:8080"]
