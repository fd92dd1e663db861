#!/usr/bin/env node
// Every @backstage/* package that yarn resolved must be the version of the
// one Backstage release in backstage.json. The pins live in package.json
// `resolutions` (taken from that release's @backstage/create-app versions and
// the exact dependency ranges of its packages); this fails on any package
// that escaped them, e.g. a new dependency pulling a newer release.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const release = JSON.parse(
  fs.readFileSync(path.join(root, 'backstage.json'), 'utf8'),
).version;
const pins = JSON.parse(
  fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
).resolutions;
const lock = fs.readFileSync(path.join(root, 'yarn.lock'), 'utf8');

const resolved = new Map();
for (const match of lock.matchAll(
  /^"(@backstage\/[^@"]+)@[^\n]*\n {2}version: ([^\n]+)/gm,
)) {
  const versions = resolved.get(match[1]) ?? new Set();
  versions.add(match[2]);
  resolved.set(match[1], versions);
}

const problems = [];
for (const [name, versions] of resolved) {
  if (!pins[name])
    problems.push(
      `${name} ${[...versions]} is not pinned to release ${release}`,
    );
  else if (versions.size > 1 || !versions.has(pins[name])) {
    problems.push(
      `${name} resolved to ${[...versions]}, release ${release} has ${
        pins[name]
      }`,
    );
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(
  `${resolved.size} @backstage/* packages resolved, all at Backstage ${release} versions`,
);
