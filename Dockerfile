# syntax=docker/dockerfile:1.7
# The bridge for Cloud Run: built from this repo, run as a single bundled file.

# --- build: install with dev dependencies, test nothing, bundle app/node.ts with esbuild ---
FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Scripts stay off: aws-lambda-ric (the release image's Lambda entry) would build its native client from source.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json ./
COPY app ./app
COPY scripts ./scripts
RUN npm run build

# --- run: distroless Node 22, non-root, only the bundle ---
FROM gcr.io/distroless/nodejs22-debian12:nonroot AS run
WORKDIR /app
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    PORT=8080
COPY --from=build /src/dist/node.mjs /src/dist/node.mjs.map ./
COPY --from=build /src/package.json ./
USER nonroot
EXPOSE 8080
CMD ["node.mjs"]
