/*
 * Entry point of the standalone gateway process:
 *   yarn --cwd packages/gateway start [--config <file>]...
 */
import { main } from './main';

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
