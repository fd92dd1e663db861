import { Knex } from 'knex';
import { toIso } from './dates';

export type AuditEvent = {
  id: number;
  actorRef: string;
  action: string;
  targetType: string;
  targetId?: string;
  details: Record<string, unknown>;
  createdAt: string;
};

/**
 * The partner-visible audit log. Callers pass only ids, names and scopes:
 * never a key or its hash.
 */
export class AuditStore {
  constructor(private readonly db: Knex) {}

  async append(event: {
    partnerId?: string;
    actorRef: string;
    action: string;
    targetType: string;
    targetId?: string;
    details?: Record<string, unknown>;
  }): Promise<void> {
    await this.db('audit_events').insert({
      partner_id: event.partnerId ?? null,
      actor_ref: event.actorRef,
      action: event.action,
      target_type: event.targetType,
      target_id: event.targetId ?? null,
      details: JSON.stringify(event.details ?? {}),
      created_at: new Date(),
    });
  }

  async list(partnerId: string, limit = 200): Promise<AuditEvent[]> {
    const rows = await this.db('audit_events')
      .where({ partner_id: partnerId })
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(row => ({
      id: Number(row.id),
      actorRef: row.actor_ref,
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id ?? undefined,
      details: JSON.parse(row.details ?? '{}'),
      createdAt: toIso(row.created_at)!,
    }));
  }
}
