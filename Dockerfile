# One image for both processes of the app:
#   backend       node dist/main.js            (the default CMD; HTTP on $PORT)
#   telegram-bot  node dist/telegram/main.js   (docker-compose.yml overrides the command)
# The Node version matches package.json "engines" and the version CI runs on.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# ---- build: all dependencies, compile TypeScript to dist/ -------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no dependency needs its install script, and our postinstall only prepares the
# embedded-database template, which the image (on server Postgres) does not use.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# tsc emits only .js; non-TypeScript files that live beside the code (SQL, static web files) are copied
# to the same relative place under dist/ so code that resolves them from import.meta.url finds them.
RUN npm run build \
  && (cd src && find . -type f ! -name '*.ts' -exec cp --parents {} ../dist/ \;)

# ---- runtime: production dependencies only, non-root ---------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The bundled wine catalogue, seeded into the database on first start.
COPY assets ./assets
# The code stays root-owned (read-only for the app); only the data directory (trace spool, embedded
# database when DATABASE_URL is unset) is writable. A named volume mounted here inherits this owner.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8000
# The slim image has no curl or wget: Node's own fetch is the probe.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
