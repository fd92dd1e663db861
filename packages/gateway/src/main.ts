import { stringifyError } from '@backstage/errors';
import { loadGatewayConfig, readGatewaySettings, secretsOf } from './config';
import { createGateway } from './createGateway';
import { openGatewayDatabase } from './database';
import { createGatewayLogger } from './logger';

/**
 * Runs one gateway replica until SIGTERM or SIGINT, then drains and exits
 * 0 (1 if the meter could not flush everything).
 */
export async function main(argv: string[] = process.argv): Promise<void> {
  const logger = createGatewayLogger();
  const config = await loadGatewayConfig({ argv });
  const settings = readGatewaySettings(config);
  logger.addRedactions(secretsOf(settings));

  const database = await openGatewayDatabase(config, logger);
  logger.info(`Marketplace database: ${database.description}`);
  const gateway = createGateway({ settings, logger, database: database.knex });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again while draining; exiting now`);
      process.exit(1);
    }
    stopping = true;
    gateway
      .shutdown(signal)
      .then(async report => {
        await database.close();
        process.exitCode = report.unflushedRows > 0 ? 1 : 0;
      })
      .catch(error => {
        logger.error(`Shutdown failed: ${stringifyError(error)}`);
        process.exitCode = 1;
      })
      .finally(() => {
        // Give the console transport a turn to write the last lines.
        setImmediate(() => process.exit());
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  try {
    await gateway.start();
  } catch (error) {
    if (!stopping) throw error; // a signal during startup: stop() finishes
  }
}
