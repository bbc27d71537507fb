# The worker and the API, one image: `node dist/main/worker.js` or `node dist/main/api.js`.

# Build: all dependencies, TypeScript compiled, workflows bundled, then dev dependencies dropped.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Run: the same Debian release (the native modules were built against its glibc), no compilers,
# no sources, not root.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# The pages the API serves (plain HTML, CSS and JavaScript, no build step).
COPY --chown=node:node web ./web
USER node
EXPOSE 3000
CMD ["node", "dist/main/api.js"]
