/**
 * Source of the worker thread that runs Spectral.
 *
 * Spectral is synchronous CPU work in practice: on a 10 MB spec it holds the
 * event loop for ~15 s, which would stall the whole backend. A worker keeps
 * the loop free and can be terminated on timeout. The source is a string
 * evaluated by the worker (`eval: true`) because a separate worker file does
 * not survive the package build; it gets the absolute module paths from the
 * parent and only posts plain data back.
 */
export const LINT_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Spectral, Document } = require(workerData.modules.core);
const Parsers = require(workerData.modules.parsers);
const { oas } = require(workerData.modules.rulesets);

(async () => {
  const spectral = new Spectral();
  spectral.setRuleset(oas);
  const parser = workerData.format === 'json' ? Parsers.Json : Parsers.Yaml;
  const document = new Document(workerData.text, parser, workerData.source);
  const results = await spectral.run(document);
  parentPort.postMessage({
    results: results.map(result => ({
      code: String(result.code),
      message: result.message,
      severity: result.severity,
      path: result.path.map(String),
    })),
  });
})().catch(error => {
  parentPort.postMessage({ error: String((error && error.message) || error) });
});
`;

/** The modules the worker loads, resolved by the parent. */
export function lintWorkerModules() {
  return {
    core: require.resolve('@stoplight/spectral-core'),
    parsers: require.resolve('@stoplight/spectral-parsers'),
    rulesets: require.resolve('@stoplight/spectral-rulesets'),
  };
}
