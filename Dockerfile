# syntax=docker/dockerfile:1
# Deckhand: multi-stage build. The runtime image holds only production dependencies and dist/,
# and runs as the unprivileged `node` user. The sandbox workspace package (sandbox/: the
# sandbox cluster, local Slack, fake Anthropic, demo) is never copied in: every install
# here skips workspaces, and the build compiles src/ alone.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --workspaces=false --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --workspaces=false --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim AS runtime
# The V8 heap cap (without one V8 grows the heap lazily far past what is live) and a 4 MB
# young generation (V8's default 16 MB alone holds ~20 MB of idle RSS): README "Performance".
# The same flags as npm start, docker-compose.yml and deploy/; deployments may override NODE_OPTIONS.
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=4" \
    PORT=3000 \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json deckhand.example.yaml ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM (docker stop) drains HTTP and in-flight jobs before exiting.
CMD ["node", "dist/main.js"]
