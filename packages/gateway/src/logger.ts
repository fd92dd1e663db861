import { WinstonLogger } from '@backstage/backend-defaults/rootLogger';
import { format, transports } from 'winston';

/**
 * Backstage's root logger: JSON lines when NODE_ENV=production, readable
 * colours otherwise; LOG_LEVEL sets the level. Secrets added with
 * `addRedactions` are masked in every line.
 */
export function createGatewayLogger(): WinstonLogger {
  return WinstonLogger.create({
    meta: { service: 'portico-gateway' },
    level: process.env.LOG_LEVEL || 'info',
    format:
      process.env.NODE_ENV === 'production'
        ? format.json()
        : WinstonLogger.colorFormat(),
    transports: [new transports.Console()],
  });
}
